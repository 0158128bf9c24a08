// Command localcluster runs chaosgate's local Kubernetes control plane: a real
// etcd and kube-apiserver (no controller-manager, scheduler or kubelet), the
// pinned Chaos Mesh CRDs, optional demo workloads and the Chaos Mesh status
// simulator.
//
//	localcluster up --dir DIR [--demo] [--simulator] [--crds FILE] [--bin-dir D] [--exit-with-parent]
//	localcluster demo --kubeconfig FILE
//	localcluster crds --kubeconfig FILE [--crds FILE]
//	localcluster down --dir DIR
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
	"k8s.io/client-go/tools/clientcmd"

	localcluster "chaosgate.dev/localcluster"
	"chaosgate.dev/localcluster/internal/demo"
	"chaosgate.dev/localcluster/internal/launcher"
)

func init() {
	// Children get Pdeathsig, which fires when the *thread* that started them
	// exits. Keep the main goroutine (which starts every child) on the main
	// thread, which lives as long as the process.
	runtime.LockOSThread()
}

const usage = `usage:
  localcluster up --dir DIR [--demo] [--simulator] [--crds FILE] [--bin-dir DIR] [--exit-with-parent] [--timeout 3m]
      start etcd + kube-apiserver on free 127.0.0.1 ports, install the Chaos Mesh CRDs,
      optionally seed demo workloads and start the chaos-mesh-simulator; write
      DIR/kubeconfig, DIR/state.json and finally DIR/ready; run until SIGINT/SIGTERM.
  localcluster demo --kubeconfig FILE      apply the demo workloads to a running cluster
  localcluster crds --kubeconfig FILE [--crds FILE]   install the Chaos Mesh CRDs
  localcluster down --dir DIR [--timeout 60s]          stop the cluster started with --dir DIR
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "up":
		err = up(os.Args[2:])
	case "demo":
		err = demoCmd(os.Args[2:])
	case "crds":
		err = crdsCmd(os.Args[2:])
	case "down":
		err = down(os.Args[2:])
	case "-h", "--help", "help":
		fmt.Print(usage)
		return
	default:
		fmt.Fprintf(os.Stderr, "localcluster: unknown command %q\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "localcluster: error:", err)
		os.Exit(1)
	}
}

func up(args []string) error {
	fs := flag.NewFlagSet("up", flag.ExitOnError)
	dir := fs.String("dir", "", "state directory (required)")
	withDemo := fs.Bool("demo", false, "seed the demo workloads")
	withSim := fs.Bool("simulator", false, "run the Chaos Mesh status simulator")
	crds := fs.String("crds", "", "CRD file to install (default: the pinned Chaos Mesh v2.8.3 CRDs embedded in this binary, a copy of deploy/local-cluster/crds/chaos-mesh-v2.8.3.yaml)")
	binDir := fs.String("bin-dir", "", "directory holding etcd, kube-apiserver and chaos-mesh-simulator (default: this binary's directory)")
	exitWithParent := fs.Bool("exit-with-parent", false, "stop the cluster when the process that started localcluster dies")
	timeout := fs.Duration("timeout", 3*time.Minute, "start timeout")
	apiV := fs.Int("apiserver-v", 0, "kube-apiserver log verbosity")
	_ = fs.Parse(args)
	if *dir == "" {
		return fmt.Errorf("up: --dir is required")
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("up: unexpected arguments %v", fs.Args())
	}
	if *exitWithParent {
		ppid := os.Getppid()
		if err := unix.Prctl(unix.PR_SET_PDEATHSIG, uintptr(syscall.SIGTERM), 0, 0, 0); err != nil {
			return fmt.Errorf("prctl: %w", err)
		}
		if os.Getppid() != ppid {
			return fmt.Errorf("parent process already exited")
		}
	}
	if *binDir == "" {
		exe, err := os.Executable()
		if err != nil {
			return err
		}
		exe, _ = filepath.EvalSymlinks(exe)
		*binDir = filepath.Dir(exe)
	}
	if *crds != "" {
		if _, err := os.Stat(*crds); err != nil {
			return fmt.Errorf("--crds: %w", err)
		}
	}
	if err := launcher.CheckDirFree(*dir); err != nil {
		return err
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return err
	}
	// Remove a previous run's launcher log before opening ours (prepareDir
	// would otherwise delete the file we are writing to).
	_ = os.Remove(filepath.Join(*dir, "localcluster.log"))
	lf, err := os.OpenFile(filepath.Join(*dir, "localcluster.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer lf.Close()
	out := io.MultiWriter(os.Stderr, lf)
	logf := func(format string, a ...any) {
		fmt.Fprintf(out, "%s localcluster: %s\n", time.Now().Format("15:04:05.000"), fmt.Sprintf(format, a...))
	}

	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		// A signal during start-up cancels it; Up then stops what it started.
		select {
		case s := <-sigs:
			logf("received %s during start-up, stopping", s)
			cancel()
		case <-ctx.Done():
		}
	}()

	c, err := launcher.Up(ctx, launcher.Options{
		Dir: *dir, BinDir: *binDir, CRDs: *crds, Demo: *withDemo, Simulator: *withSim,
		StartTimeout: *timeout, APIServerV: *apiV, Logf: logf,
	})
	if err != nil {
		if ctx.Err() == context.Canceled {
			return fmt.Errorf("interrupted during start-up")
		}
		return err
	}
	// Start-up done: take over signal handling from the start-up goroutine.
	cancel()
	signal.Reset()
	sigs2 := make(chan os.Signal, 2)
	signal.Notify(sigs2, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	exited := c.Exited()
	select {
	case s := <-sigs2:
		logf("received %s, stopping", s)
		c.Stop()
		logf("stopped")
		return nil
	case msg := <-exited:
		logf("%s; stopping the rest", msg)
		c.Stop()
		return fmt.Errorf("%s", msg)
	}
}

func demoCmd(args []string) error {
	fs := flag.NewFlagSet("demo", flag.ExitOnError)
	kubeconfig := fs.String("kubeconfig", "", "kubeconfig of the cluster (required)")
	_ = fs.Parse(args)
	if *kubeconfig == "" {
		return fmt.Errorf("demo: --kubeconfig is required")
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		return err
	}
	cfg.QPS, cfg.Burst = 200, 400
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	return demo.Apply(ctx, cfg, localcluster.Assets, func(f string, a ...any) { fmt.Fprintf(os.Stderr, f+"\n", a...) })
}

func crdsCmd(args []string) error {
	fs := flag.NewFlagSet("crds", flag.ExitOnError)
	kubeconfig := fs.String("kubeconfig", "", "kubeconfig of the cluster (required)")
	crds := fs.String("crds", "", "CRD file (default: the embedded pinned copy)")
	_ = fs.Parse(args)
	if *kubeconfig == "" {
		return fmt.Errorf("crds: --kubeconfig is required")
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	return launcher.InstallCRDs(ctx, cfg, *crds, func(f string, a ...any) { fmt.Fprintf(os.Stderr, f+"\n", a...) })
}

func down(args []string) error {
	fs := flag.NewFlagSet("down", flag.ExitOnError)
	dir := fs.String("dir", "", "state directory of the cluster (required)")
	timeout := fs.Duration("timeout", 60*time.Second, "how long to wait for it to stop")
	_ = fs.Parse(args)
	if *dir == "" {
		return fmt.Errorf("down: --dir is required")
	}
	st, err := launcher.ReadState(*dir)
	if err != nil {
		return fmt.Errorf("down: no running cluster in %s: %w", *dir, err)
	}
	pid := st.Pids["localcluster"]
	if pid <= 0 {
		return fmt.Errorf("down: no launcher pid in state.json")
	}
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		return fmt.Errorf("down: signal pid %d: %w", pid, err)
	}
	deadline := time.Now().Add(*timeout)
	for time.Now().Before(deadline) {
		if syscall.Kill(pid, 0) != nil {
			fmt.Fprintf(os.Stderr, "localcluster (pid %d) stopped\n", pid)
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("down: pid %d still running after %s", pid, *timeout)
}
