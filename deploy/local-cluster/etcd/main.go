// Command etcd is a minimal single-member etcd server for the chaosgate local
// control plane. It wraps go.etcd.io/etcd/server/v3/embed so that the version is
// pinned by this module's go.mod, and it accepts port 0 for its client and peer
// listeners: the address actually bound is written to --ready-file once the
// server is ready to serve clients, so the launcher never races for a port.
//
// It lives in its own Go module because etcd's dependency versions differ from
// the ones k8s.io/kubernetes pins for kube-apiserver; keeping them apart lets
// both build with exactly the versions their authors tested.
package main

import (
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "etcd:", err)
		os.Exit(1)
	}
}

func run() error {
	var (
		dataDir    = flag.String("data-dir", "", "directory for etcd data (required)")
		clientURL  = flag.String("listen-client-url", "http://127.0.0.1:0", "client URL to listen on (port 0 picks a free port)")
		peerURL    = flag.String("listen-peer-url", "http://127.0.0.1:0", "peer URL to listen on (port 0 picks a free port)")
		readyFile  = flag.String("ready-file", "", "write the bound client URL to this file once ready")
		logFile    = flag.String("log-file", "stderr", "log output: a file path, stderr or stdout")
		logLevel   = flag.String("log-level", "warn", "log level: debug, info, warn, error")
		noFsync    = flag.Bool("unsafe-no-fsync", false, "disable fsync (faster; data may be lost on a crash)")
		quotaBytes = flag.Int64("quota-backend-bytes", 2<<30, "backend size quota in bytes")
		startWait  = flag.Duration("start-timeout", 60*time.Second, "how long to wait for the server to become ready")
	)
	flag.Parse()
	if *dataDir == "" {
		return fmt.Errorf("--data-dir is required")
	}
	lc, err := url.Parse(*clientURL)
	if err != nil {
		return fmt.Errorf("--listen-client-url: %w", err)
	}
	lp, err := url.Parse(*peerURL)
	if err != nil {
		return fmt.Errorf("--listen-peer-url: %w", err)
	}

	cfg := embed.NewConfig()
	cfg.Name = "localcluster"
	cfg.Dir = *dataDir
	cfg.ListenClientUrls = []url.URL{*lc}
	cfg.AdvertiseClientUrls = []url.URL{*lc}
	cfg.ListenPeerUrls = []url.URL{*lp}
	cfg.AdvertisePeerUrls = []url.URL{*lp}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	cfg.UnsafeNoFsync = *noFsync
	cfg.QuotaBackendBytes = *quotaBytes
	cfg.LogLevel = *logLevel
	cfg.LogOutputs = []string{*logFile}

	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return fmt.Errorf("start: %w", err)
	}
	defer e.Close()

	select {
	case <-e.Server.ReadyNotify():
	case <-time.After(*startWait):
		e.Server.Stop()
		return fmt.Errorf("server not ready after %s", *startWait)
	}
	if len(e.Clients) == 0 {
		return fmt.Errorf("no client listener")
	}
	bound := fmt.Sprintf("%s://%s", lc.Scheme, e.Clients[0].Addr().String())
	if *readyFile != "" {
		tmp := filepath.Join(filepath.Dir(*readyFile), "."+filepath.Base(*readyFile)+".tmp")
		if err := os.WriteFile(tmp, []byte(bound+"\n"), 0o644); err != nil {
			return err
		}
		if err := os.Rename(tmp, *readyFile); err != nil {
			return err
		}
	}
	fmt.Fprintln(os.Stderr, "etcd: ready, serving clients on", bound)

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	select {
	case s := <-sig:
		fmt.Fprintln(os.Stderr, "etcd: received", s, "- shutting down")
		return nil
	case err := <-e.Err():
		return fmt.Errorf("server error: %w", err)
	case <-e.Server.StopNotify():
		return fmt.Errorf("server stopped")
	}
}
