package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/kestrelcep/kestrel/api"
	"github.com/kestrelcep/kestrel/config"
	"github.com/kestrelcep/kestrel/service"
)

// serve runs the service until SIGINT or SIGTERM, then stops it gracefully.
func (c *cli) serve(args []string) error {
	fs := c.flags("serve", "serve [--config kestrel.yaml] [--listen ADDR] [--data DIR] [--rules PATH ...]")
	cfgPath := fs.String("config", "", "the configuration file (cli.md); none: the embedded default")
	listen := fs.String("listen", "", "the API's address (default 127.0.0.1:8080)")
	data := fs.String("data", "", "the state directory (default ./data)")
	var rules stringsFlag
	fs.Var(&rules, "rules", "a .krl file or directory deployed at start (repeatable)")
	printCfg := fs.Bool("print-config", false, "print the effective configuration, commented, and exit")
	checkCfg := fs.Bool("check-config", false, "check the configuration and the rules it deploys, and exit")
	logLevel := fs.String("log-level", "info", "debug, info, warn or error")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &usageError{msg: fmt.Sprintf("serve takes no arguments, got %q", fs.Args())}
	}
	cfg := config.Default()
	if *cfgPath != "" {
		var err error
		if cfg, err = config.Load(*cfgPath); err != nil {
			return err
		}
	}
	if *listen != "" {
		cfg.Listen = *listen
	}
	if *data != "" {
		cfg.Data = *data
		if *cfgPath == "" { // the default alerts file lives in the data directory
			cfg.Outputs["alerts"][0].File.Path = filepath.Join(*data, "alerts.jsonl")
		}
	}
	if len(rules) > 0 {
		cfg.Rules = append(cfg.Rules, rules...)
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	if *printCfg {
		return cfg.Print(c.stdout)
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return &usageError{msg: "--log-level: " + err.Error()}
	}
	log := slog.New(slog.NewTextHandler(c.stderr, &slog.HandlerOptions{Level: level}))
	if *checkCfg {
		if _, err := service.CheckRules(cfg); err != nil {
			return err
		}
		fmt.Fprintln(c.stdout, "ok")
		return nil
	}

	// Signals are caught from here on: a stop asked for while the service
	// starts is handled once it has.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sig)
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return err
	}
	if len(cfg.Tokens) == 0 && !api.IsLoopback(ln.Addr()) {
		ln.Close()
		return fmt.Errorf("listen %s: no API tokens are configured, so kestrel serves only on a loopback address (%s is not one); add tokens or listen on 127.0.0.1", cfg.Listen, ln.Addr())
	}
	svc, err := service.Start(cfg, service.Options{Logger: log})
	if err != nil {
		ln.Close()
		return err
	}
	srv := &http.Server{
		Handler:           api.New(svc, api.Options{Logger: log, MaxBody: int64(cfg.Limits.MaxBody), Tokens: cfg.Tokens}),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	srv.RegisterOnShutdown(svc.CloseStreams) // live streams end, so Shutdown need not wait for their clients
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	fmt.Fprintf(c.stderr, "kestrel: serving on http://%s (data %s, %d streams, %d rules)\n",
		ln.Addr(), cfg.Data, len(svc.RuleSet().Streams), len(svc.RuleSet().Rules))

	var failed error
	select {
	case s := <-sig:
		log.Info("stopping", "signal", s.String())
	case err := <-serveErr:
		failed = err
	case err := <-svc.Fatal():
		failed = err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	shutdownErr := srv.Shutdown(ctx)
	closeErr := svc.Close(ctx)
	if failed != nil && !errors.Is(failed, http.ErrServerClosed) {
		return &failure{failed}
	}
	if err := errors.Join(shutdownErr, closeErr); err != nil {
		return &failure{err}
	}
	log.Info("stopped after a final checkpoint")
	return nil
}
