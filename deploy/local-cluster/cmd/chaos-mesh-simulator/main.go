// Command chaos-mesh-simulator is the Chaos Mesh STATUS SIMULATOR of chaosgate's
// local control plane. It is not Chaos Mesh and injects no fault: it stands in
// for Chaos Mesh's controller-manager and daemons (which need real nodes) by
// writing what Chaos Mesh v2.8 writes to chaos-mesh.org objects: the
// chaos-mesh/records finalizer, status.experiment records and desiredPhase,
// the Selected/AllInjected/AllRecovered/Paused conditions, Schedule children
// and Workflow status. Use it only against the local control plane.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"k8s.io/client-go/tools/clientcmd"

	"chaosgate.dev/localcluster/internal/sim"
)

func main() {
	kubeconfig := flag.String("kubeconfig", os.Getenv("KUBECONFIG"), "kubeconfig of the local control plane")
	readyFile := flag.String("ready-file", "", "file to create once the simulator watches every chaos-mesh.org kind")
	cfgNS := flag.String("config-namespace", "chaos-mesh", "namespace of the simulator's ConfigMap")
	cfgName := flag.String("config-name", "chaos-mesh-simulator", "name of the simulator's ConfigMap (key holdFinalizers)")
	workers := flag.Int("workers", 2, "reconcile workers")
	flag.Parse()

	logf := func(format string, a ...any) {
		fmt.Fprintf(os.Stderr, "%s chaos-mesh-simulator: %s\n", time.Now().Format("15:04:05.000"), fmt.Sprintf(format, a...))
	}
	if err := run(*kubeconfig, *readyFile, sim.Config{ConfigNamespace: *cfgNS, ConfigName: *cfgName, Workers: *workers, Logf: logf}); err != nil {
		logf("error: %v", err)
		os.Exit(1)
	}
}

func run(kubeconfig, readyFile string, cfg sim.Config) error {
	rc, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		return err
	}
	rc.QPS, rc.Burst = 100, 200
	rc.UserAgent = "chaos-mesh-simulator"
	s, err := sim.New(rc, cfg)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	return s.Run(ctx, func() {
		cfg.Logf("ready (Chaos Mesh status simulator; no fault is injected)")
		if readyFile != "" {
			tmp := filepath.Join(filepath.Dir(readyFile), "."+filepath.Base(readyFile)+".tmp")
			if err := os.WriteFile(tmp, []byte("ready\n"), 0o644); err == nil {
				_ = os.Rename(tmp, readyFile)
			}
		}
	})
}
