// Package launcher starts and supervises the local control plane: etcd,
// kube-apiserver and (optionally) the Chaos Mesh status simulator.
package launcher

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	localcluster "chaosgate.dev/localcluster"
	"chaosgate.dev/localcluster/internal/demo"
	"chaosgate.dev/localcluster/internal/kubeutil"
	"chaosgate.dev/localcluster/internal/pki"
)

// Options configure Up.
type Options struct {
	Dir          string        // state directory (created; known files in it are replaced)
	BinDir       string        // where etcd, kube-apiserver and chaos-mesh-simulator live
	CRDs         string        // CRD file; "" = the pinned copy embedded in the binary
	Demo         bool          // seed the demo workloads
	Simulator    bool          // run the Chaos Mesh status simulator
	StartTimeout time.Duration // for the whole start sequence
	APIServerV   int           // kube-apiserver log verbosity
	Logf         func(format string, args ...any)
}

// State is written to DIR/state.json once the cluster is ready.
type State struct {
	Server       string         `json:"server"`
	Kubeconfig   string         `json:"kubeconfig"`
	Context      string         `json:"context"`
	Pids         map[string]int `json:"pids"`
	Etcd         string         `json:"etcd"`
	CAFile       string         `json:"caFile"`
	Dir          string         `json:"dir"`
	Logs         []string       `json:"logs"`
	Demo         bool           `json:"demo"`
	Simulator    bool           `json:"simulator"`
	StartedAt    time.Time      `json:"startedAt"`
	ReadySeconds float64        `json:"readySeconds"`
}

// ServiceCIDR is the Service ClusterIP range; its first address is the
// "kubernetes" Service and is in the serving certificate.
const ServiceCIDR = "10.96.0.0/16"

var serviceIP = net.ParseIP("10.96.0.1")

// Cluster is a running local control plane.
type Cluster struct {
	opts     Options
	etcd     *child
	api      *child
	sim      *child
	State    State
	children []*child
	owned    bool // DIR was prepared by this launcher (Stop may clean it)
}

// Up starts the control plane and returns once DIR/ready exists. The caller
// must call Stop. On error everything started so far is already stopped.
func Up(ctx context.Context, o Options) (c *Cluster, err error) {
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	if o.StartTimeout == 0 {
		o.StartTimeout = 3 * time.Minute
	}
	dir, err := filepath.Abs(o.Dir)
	if err != nil {
		return nil, err
	}
	o.Dir = dir
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, o.StartTimeout)
	defer cancel()

	c = &Cluster{opts: o}
	defer func() {
		if err != nil {
			c.Stop()
			c = nil
		}
	}()

	if err := prepareDir(dir); err != nil {
		return c, err
	}
	c.owned = true
	bins := map[string]string{}
	need := []string{"etcd", "kube-apiserver"}
	if o.Simulator {
		need = append(need, "chaos-mesh-simulator")
	}
	for _, b := range need {
		p := filepath.Join(o.BinDir, b)
		if st, err := os.Stat(p); err != nil || st.IsDir() {
			return c, fmt.Errorf("binary %s not found in %s (run deploy/local-cluster/build.sh)", b, o.BinDir)
		}
		bins[b] = p
	}

	o.Logf("generating certificates")
	certs, err := pki.Generate(filepath.Join(dir, "pki"), serviceIP)
	if err != nil {
		return c, fmt.Errorf("certificates: %w", err)
	}

	// etcd picks its own free ports and reports the client URL in etcd.url.
	o.Logf("starting etcd")
	etcdURLFile := filepath.Join(dir, "etcd.url")
	c.etcd, err = startChild("etcd", bins["etcd"], []string{
		"--data-dir", filepath.Join(dir, "etcd"),
		"--listen-client-url", "http://127.0.0.1:0",
		"--listen-peer-url", "http://127.0.0.1:0",
		"--ready-file", etcdURLFile,
		"--unsafe-no-fsync",
		"--log-level", "warn",
	}, filepath.Join(dir, "etcd.log"), nil)
	if err != nil {
		return c, err
	}
	c.children = append(c.children, c.etcd)
	etcdURL, err := waitFile(ctx, etcdURLFile, c.etcd)
	if err != nil {
		return c, fmt.Errorf("etcd: %w (see %s)", err, filepath.Join(dir, "etcd.log"))
	}
	o.Logf("etcd ready at %s", etcdURL)

	// kube-apiserver: the port is chosen by asking the kernel for a free one;
	// should another process grab it in between, start again with a new port.
	var server string
	for attempt := 1; ; attempt++ {
		port, err := freePort()
		if err != nil {
			return c, err
		}
		server = "https://127.0.0.1:" + strconv.Itoa(port)
		o.Logf("starting kube-apiserver on %s", server)
		logPath := filepath.Join(dir, "kube-apiserver.log")
		c.api, err = startChild("kube-apiserver", bins["kube-apiserver"], apiserverArgs(dir, port, etcdURL, certs, o.APIServerV), logPath, nil)
		if err != nil {
			return c, err
		}
		err = waitReady(ctx, server, certs, c.api)
		if err == nil {
			break
		}
		c.api.stop(5 * time.Second)
		if attempt < 3 && logContains(logPath, "address already in use") {
			o.Logf("port %d was taken, retrying", port)
			continue
		}
		return c, fmt.Errorf("kube-apiserver: %w (see %s)", err, logPath)
	}
	c.children = append(c.children, c.api)
	o.Logf("kube-apiserver ready after %.1fs", time.Since(start).Seconds())

	kubeconfig := filepath.Join(dir, "kubeconfig")
	if err := writeKubeconfig(kubeconfig, server, certs); err != nil {
		return c, err
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		return c, err
	}
	cfg.QPS, cfg.Burst = 200, 400

	if err := InstallCRDs(ctx, cfg, o.CRDs, o.Logf); err != nil {
		return c, err
	}
	if err := ensureChaosMeshNamespace(ctx, cfg); err != nil {
		return c, err
	}
	if o.Demo {
		if err := demo.Apply(ctx, cfg, localcluster.Assets, o.Logf); err != nil {
			return c, fmt.Errorf("demo: %w", err)
		}
	}
	if o.Simulator {
		o.Logf("starting chaos-mesh-simulator")
		readyFile := filepath.Join(dir, "simulator.ready")
		c.sim, err = startChild("chaos-mesh-simulator", bins["chaos-mesh-simulator"], []string{
			"--kubeconfig", kubeconfig, "--ready-file", readyFile,
		}, filepath.Join(dir, "chaos-mesh-simulator.log"), nil)
		if err != nil {
			return c, err
		}
		c.children = append(c.children, c.sim)
		if _, err := waitFile(ctx, readyFile, c.sim); err != nil {
			return c, fmt.Errorf("chaos-mesh-simulator: %w (see %s)", err, filepath.Join(dir, "chaos-mesh-simulator.log"))
		}
	}

	c.State = State{
		Server: server, Kubeconfig: kubeconfig, Context: "local", Etcd: etcdURL, CAFile: certs.CACert, Dir: dir,
		Pids:      map[string]int{"localcluster": os.Getpid(), "etcd": c.etcd.pid(), "kube-apiserver": c.api.pid()},
		Demo:      o.Demo,
		Simulator: o.Simulator,
		StartedAt: start.UTC().Truncate(time.Millisecond),
	}
	c.State.Logs = []string{filepath.Join(dir, "etcd.log"), filepath.Join(dir, "kube-apiserver.log")}
	if c.sim != nil {
		c.State.Pids["chaos-mesh-simulator"] = c.sim.pid()
		c.State.Logs = append(c.State.Logs, filepath.Join(dir, "chaos-mesh-simulator.log"))
	}
	c.State.ReadySeconds = float64(time.Since(start).Milliseconds()) / 1000
	data, _ := json.MarshalIndent(c.State, "", "  ")
	if err := writeAtomic(filepath.Join(dir, "state.json"), append(data, '\n')); err != nil {
		return c, err
	}
	if err := writeAtomic(filepath.Join(dir, "ready"), []byte(time.Now().UTC().Format(time.RFC3339)+"\n")); err != nil {
		return c, err
	}
	o.Logf("ready in %.1fs: kubectl --kubeconfig %s get pods -A", c.State.ReadySeconds, kubeconfig)
	return c, nil
}

// Exited returns a channel that yields the first child that exits.
func (c *Cluster) Exited() <-chan string {
	ch := make(chan string, len(c.children))
	for _, k := range c.children {
		go func(k *child) {
			<-k.done
			ch <- fmt.Sprintf("%s (pid %d) exited: %v", k.name, k.pid(), k.exitErr())
		}(k)
	}
	return ch
}

// Stop stops the simulator, kube-apiserver and etcd in that order and removes
// DIR/ready and DIR/state.json.
func (c *Cluster) Stop() {
	if c == nil {
		return
	}
	if c.owned {
		_ = os.Remove(filepath.Join(c.opts.Dir, "ready"))
	}
	c.sim.stop(5 * time.Second)
	c.api.stop(15 * time.Second)
	c.etcd.stop(10 * time.Second)
	if c.owned {
		_ = os.Remove(filepath.Join(c.opts.Dir, "state.json"))
	}
}

// prepareDir creates dir and removes what a previous run left in it (only the
// files and folders this launcher writes).
func prepareDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := CheckDirFree(dir); err != nil {
		return err
	}
	for _, n := range []string{"ready", "state.json", "etcd.url", "simulator.ready", "kubeconfig",
		"etcd.log", "kube-apiserver.log", "chaos-mesh-simulator.log", "etcd", "pki"} {
		if err := os.RemoveAll(filepath.Join(dir, n)); err != nil {
			return err
		}
	}
	return nil
}

// CheckDirFree fails when DIR/state.json names a launcher that is still running.
func CheckDirFree(dir string) error {
	b, err := os.ReadFile(filepath.Join(dir, "state.json"))
	if err != nil {
		return nil
	}
	var st State
	if json.Unmarshal(b, &st) == nil && st.Pids["localcluster"] > 0 && st.Pids["localcluster"] != os.Getpid() && processAlive(st.Pids["localcluster"]) {
		return fmt.Errorf("%s is in use by a running localcluster (pid %d); run `localcluster down --dir %s` first", dir, st.Pids["localcluster"], dir)
	}
	return nil
}

func apiserverArgs(dir string, port int, etcdURL string, f pki.Files, v int) []string {
	issuer := "https://kubernetes.default.svc.cluster.local"
	return []string{
		"--advertise-address=127.0.0.1",
		// The lease endpoint reconciler refuses loopback addresses; with "none"
		// the kubernetes Service exists but gets no Endpoints (nothing in the
		// local cluster runs in a pod that would use it).
		"--endpoint-reconciler-type=none",
		"--bind-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(port),
		"--etcd-servers=" + etcdURL,
		"--cert-dir=" + filepath.Join(dir, "pki"),
		"--tls-cert-file=" + f.ServingCert,
		"--tls-private-key-file=" + f.ServingKey,
		"--client-ca-file=" + f.CACert,
		"--authorization-mode=RBAC",
		"--service-account-issuer=" + issuer,
		"--api-audiences=" + issuer,
		"--service-account-key-file=" + f.SAPub,
		"--service-account-signing-key-file=" + f.SAKey,
		"--service-cluster-ip-range=" + ServiceCIDR,
		"--allow-privileged=true",
		"--profiling=false",
		"--shutdown-delay-duration=0s",
		"--v=" + strconv.Itoa(v),
	}
}

// waitFile waits until path exists and is non-empty, returning its trimmed content.
func waitFile(ctx context.Context, path string, owner *child) (string, error) {
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		if b, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(b))) > 0 {
			return strings.TrimSpace(string(b)), nil
		}
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("not ready: %w", ctx.Err())
		case <-owner.done:
			return "", fmt.Errorf("exited during start: %v", owner.exitErr())
		case <-t.C:
		}
	}
}

// waitReady polls /readyz with the admin client certificate.
func waitReady(ctx context.Context, server string, f pki.Files, owner *child) error {
	caPEM, err := os.ReadFile(f.CACert)
	if err != nil {
		return err
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(caPEM)
	cert, err := tls.LoadX509KeyPair(f.AdminCert, f.AdminKey)
	if err != nil {
		return err
	}
	hc := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: pool, Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12},
	}}
	defer hc.CloseIdleConnections()
	last := ""
	t := time.NewTicker(200 * time.Millisecond)
	defer t.Stop()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, server+"/readyz", nil)
		resp, err := hc.Do(req)
		if err == nil {
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			last = fmt.Sprintf("/readyz %d: %s", resp.StatusCode, strings.TrimSpace(string(body)))
		} else {
			last = err.Error()
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("not ready (%s): %w", last, ctx.Err())
		case <-owner.done:
			return fmt.Errorf("exited during start: %v", owner.exitErr())
		case <-t.C:
		}
	}
}

func writeKubeconfig(path, server string, f pki.Files) error {
	ca, err := os.ReadFile(f.CACert)
	if err != nil {
		return err
	}
	crt, err := os.ReadFile(f.AdminCert)
	if err != nil {
		return err
	}
	key, err := os.ReadFile(f.AdminKey)
	if err != nil {
		return err
	}
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["local"] = &clientcmdapi.Cluster{Server: server, CertificateAuthorityData: ca}
	cfg.AuthInfos["admin"] = &clientcmdapi.AuthInfo{ClientCertificateData: crt, ClientKeyData: key}
	cfg.Contexts["local"] = &clientcmdapi.Context{Cluster: "local", AuthInfo: "admin", Namespace: "default"}
	cfg.CurrentContext = "local"
	return clientcmd.WriteToFile(*cfg, path)
}

// InstallCRDs applies the CRDs in file (or the embedded pinned copy when file
// is "") and waits until they are Established.
func InstallCRDs(ctx context.Context, cfg *rest.Config, file string, logf func(string, ...any)) error {
	var data []byte
	var err error
	src := file
	if file == "" {
		src = "embedded " + localcluster.CRDFile
		data, err = fs.ReadFile(localcluster.Assets, localcluster.CRDFile)
	} else {
		data, err = os.ReadFile(file)
	}
	if err != nil {
		return fmt.Errorf("read CRDs: %w", err)
	}
	objs, err := kubeutil.DecodeYAML(data)
	if err != nil {
		return fmt.Errorf("parse CRDs %s: %w", src, err)
	}
	ap, err := kubeutil.NewApplier(cfg)
	if err != nil {
		return err
	}
	var names []string
	for _, o := range objs {
		if o.GetKind() == "CustomResourceDefinition" {
			names = append(names, o.GetName())
		}
	}
	// A few applies in flight at once: each CRD is validated and stored on its
	// own, and the API server's CPU is the limit.
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
		next     = make(chan *unstructured.Unstructured)
	)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for o := range next {
				if _, err := ap.Apply(ctx, o, ""); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, o := range objs {
		next <- o
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return fmt.Errorf("install CRDs: %w", firstErr)
	}
	if err := ap.WaitEstablished(ctx, names, 2*time.Minute); err != nil {
		return err
	}
	logf("installed %d CRDs from %s", len(names), src)
	return nil
}

func logContains(path, s string) bool {
	b, err := os.ReadFile(path)
	return err == nil && strings.Contains(string(b), s)
}

func writeAtomic(path string, data []byte) error {
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// ReadState reads DIR/state.json.
func ReadState(dir string) (State, error) {
	var st State
	b, err := os.ReadFile(filepath.Join(dir, "state.json"))
	if err != nil {
		return st, err
	}
	return st, json.Unmarshal(b, &st)
}

func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	return p.Signal(syscallSignal0) == nil
}

var syscallSignal0 = syscall.Signal(0)

// ensureChaosMeshNamespace creates what a Chaos Mesh installation brings besides
// its CRDs: the chaos-mesh namespace (k8s/ puts a NetworkPolicy there), plus the
// simulator's ConfigMap with holdFinalizers "false". Existing objects are kept.
func ensureChaosMeshNamespace(ctx context.Context, cfg *rest.Config) error {
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return err
	}
	_, err = cs.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "chaos-mesh"}}, metav1.CreateOptions{})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("create namespace chaos-mesh: %w", err)
	}
	_, err = cs.CoreV1().ServiceAccounts("chaos-mesh").Create(ctx, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "default", Namespace: "chaos-mesh"}}, metav1.CreateOptions{})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("create ServiceAccount chaos-mesh/default: %w", err)
	}
	_, err = cs.CoreV1().ConfigMaps("chaos-mesh").Create(ctx, &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Name: "chaos-mesh-simulator", Namespace: "chaos-mesh",
			Labels: map[string]string{"app.kubernetes.io/name": "chaos-mesh-simulator"}},
		Data: map[string]string{"holdFinalizers": "false"},
	}, metav1.CreateOptions{})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("create ConfigMap chaos-mesh/chaos-mesh-simulator: %w", err)
	}
	return nil
}
