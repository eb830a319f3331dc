package config_test

import (
	"fmt"
	"os"

	"github.com/kestrelcep/kestrel/config"
)

func ExampleParse() {
	src := []byte(`listen: 0.0.0.0:8080
outputs:
  alerts:
    - kafka: {topik: alerts}
checkpoint: {interval: 10}
`)
	_, err := config.Parse("kestrel.yaml", src)
	fmt.Println(err)
	// Output:
	// kestrel.yaml:1: listen: 0.0.0.0:8080 is not a loopback address, and no tokens are configured: without tokens the API has no authentication, so it listens only on loopback (127.0.0.1, ::1, localhost); add tokens or listen on 127.0.0.1
	// kestrel.yaml:4: outputs.alerts[0].kafka: unknown key "topik" (did you mean "topic"?)
	// kestrel.yaml:5: checkpoint.interval: "10" is not a duration: write an integer and a unit (d, h, m, s, ms), as in 10s, 5m, 1h30m
}

func ExampleConfig_Print() {
	c := config.Default()
	c.Listen = "0.0.0.0:8080"
	c.Tokens = []config.Token{{Token: "s3cret", Role: config.RoleAdmin}}
	if err := c.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	c.Print(os.Stdout)
	// Output:
	// # The effective configuration of kestrel serve (kestrel serve --print-config).
	// # Tokens and passwords are masked as "***". Durations as in KRL: 250ms, 10s, 5m, 1h30m, 7d.
	// listen: 0.0.0.0:8080 # HTTP API address, host:port; without tokens only a loopback address
	// data: ./data # Badger directory: rules and their versions, checkpoints, online features, alerts
	// rules: [] # .krl files or directories, deployed at start
	// tokens: # API bearer tokens (masked here); none: no auth, loopback only
	//   - token: '***' # the bearer token; ${VAR} takes it from the environment
	//     role: admin # admin | deployer | analyst | ingest
	//     name: "" # who holds it, for audit fields and logs (optional)
	// features: # the online feature store
	//   store: embedded # embedded (Badger, in data) | redis
	//   redis: # Redis: the feature store when store is redis, and redis sinks' and tables' default
	//     addr: "" # host:port
	//     prefix: 'kestrel:' # prefix of every key Kestrel writes
	//     password: "" # AUTH password (masked here); empty: none
	//     db: 0 # database number
	// kafka: # defaults of kafka entries that leave them out
	//   brokers: [] # bootstrap brokers, host:port
	//   group: kestrel # consumer group of Kafka sources: shared by the instances of one deployment, never by two deployments
	//   session_timeout: 10s # a member silent this long is dead and its partitions move (the broker's minimum is 6s)
	// sources: {} # per stream, where its events come from; a stream with no entry takes HTTP ingest
	// outputs: # per output (alerts, shadow, timeouts, late, deadletter, windows, each `to NAME`), its sinks; alerts also always go to the API store
	//   alerts: # an output's sinks, each exactly one of kafka, file, webhook, redis, api
	//     - file: # a JSONL file, exactly-once: truncated to its checkpointed length on recovery
	//         path: ./data/alerts.jsonl # the file
	// tables: {} # per table, where its rows come from
	// checkpoint: # checkpoints of state, source positions and watermarks
	//   interval: 10s # time between checkpoints
	// idle_source_timeout: 30s # a partition with no events for this long no longer holds the watermark back; 0: never
	// limits: # bounds on what clients send
	//   max_body: 10MiB # largest HTTP request body, larger gets 413 (B, KB, MB, GB, KiB, MiB, GiB)
	// alerts: # the API alert store
	//   retention: 7d # how long alerts are kept; 0: forever
}
