package deploy

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/kestrelcep/kestrel/config"
)

// What is checked here stands in for running the files, which needs Docker
// or a cluster: that they parse, that the kestrel configurations they carry
// load and validate, and that the pieces agree (paths, ports, topics,
// environment variables, labels).

// decodeAll decodes every YAML document of a file into a new T each.
func decodeAll[T any](t *testing.T, name string) []T {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var docs []T
	dec := yaml.NewDecoder(bytes.NewReader(b))
	for {
		var doc T
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		docs = append(docs, doc)
	}
	if len(docs) == 0 {
		t.Fatalf("%s: no YAML document", name)
	}
	return docs
}

func TestEveryYAMLParses(t *testing.T) {
	n := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
			return err
		}
		n++
		for i, doc := range decodeAll[any](t, path) {
			if doc == nil {
				t.Errorf("%s: document %d is empty", path, i+1)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 6 {
		t.Errorf("found %d YAML files, want the compose file, two configurations and three manifests", n)
	}
}

var varRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?\}`)

// envRefs lists the environment variables that a kestrel configuration
// names in ${...} (not those escaped as $${...}).
func envRefs(text string) []string {
	var names []string
	for _, m := range varRef.FindAllStringSubmatchIndex(text, -1) {
		if m[0] > 0 && text[m[0]-1] == '$' {
			continue
		}
		if name := text[m[2]:m[3]]; !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	return names
}

// loadConfig loads a kestrel configuration the way kestrel serve does, with
// each variable it names set, and validates it.
func loadConfig(t *testing.T, name, text string) *config.Config {
	t.Helper()
	for _, v := range envRefs(text) {
		t.Setenv(v, "test-value-of-"+v)
	}
	c, err := config.Parse(name, []byte(text))
	if err != nil {
		t.Fatalf("%s does not load:\n%v", name, err)
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("%s does not validate:\n%v", name, err)
	}
	if len(c.Tokens) == 0 {
		t.Errorf("%s: no tokens; a container listens off loopback", name)
	}
	return c
}

func readText(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func port(t *testing.T, listen string) string {
	t.Helper()
	_, p, err := net.SplitHostPort(listen)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// dockerfile is what the tests read of deploy/Dockerfile.
type dockerfile struct {
	builder    string            // the golang image of the build stage
	configPath string            // --config of the ENTRYPOINT
	copies     map[string]string // COPY source → destination, from the build context
	text       string
}

func readDockerfile(t *testing.T) dockerfile {
	t.Helper()
	d := dockerfile{text: readText(t, "Dockerfile"), copies: map[string]string{}}
	for _, line := range strings.Split(d.text, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		switch f[0] {
		case "FROM":
			if strings.HasPrefix(f[1], "golang:") {
				d.builder = f[1]
			}
		case "COPY":
			if len(f) == 3 { // not --from=build
				d.copies[f[1]] = f[2]
			}
		case "ENTRYPOINT":
			var argv []string
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "ENTRYPOINT")), &argv); err != nil {
				t.Fatalf("ENTRYPOINT is not exec form: %v", err)
			}
			if i := slices.Index(argv, "--config"); len(argv) > 1 && argv[1] == "serve" && i > 0 && i+1 < len(argv) {
				d.configPath = argv[i+1]
			} else {
				t.Errorf("ENTRYPOINT %q is not kestrel serve --config FILE", argv)
			}
		}
	}
	return d
}

func TestDockerfile(t *testing.T) {
	d := readDockerfile(t)
	// The build stage's Go is go.mod's.
	gomod := readText(t, "../go.mod")
	m := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindStringSubmatch(gomod)
	if m == nil || d.builder != "golang:"+m[1] {
		t.Errorf("build stage %q, go.mod says go %v", d.builder, m)
	}
	for _, want := range []string{
		`CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/kestrel ./cmd/kestrel`,
		"USER 65532:65532",
		`VOLUME ["/data"]`,
		"EXPOSE 8080",
		"FROM gcr.io/distroless/static-debian12:nonroot",
	} {
		if !strings.Contains(d.text, want) {
			t.Errorf("Dockerfile has no %s", want)
		}
	}
	// The configuration the image carries is where the ENTRYPOINT reads it,
	// and it loads.
	if d.copies["deploy/image.yaml"] != d.configPath {
		t.Errorf("deploy/image.yaml is copied to %q, the ENTRYPOINT reads %q", d.copies["deploy/image.yaml"], d.configPath)
	}
	c := loadConfig(t, "image.yaml", readText(t, "image.yaml"))
	if c.Data != "/data" || port(t, c.Listen) != "8080" {
		t.Errorf("image.yaml: data %q, listen %q; the image has VOLUME /data and EXPOSE 8080", c.Data, c.Listen)
	}
}

// composeFile is what the tests read of compose.yaml; yaml.v3 applies its
// << merges.
type composeFile struct {
	Services map[string]struct {
		Image       string            `yaml:"image"`
		Environment map[string]string `yaml:"environment"`
		Volumes     []string          `yaml:"volumes"`
		Ports       []string          `yaml:"ports"`
		Command     []string          `yaml:"command"`
		DependsOn   map[string]struct {
			Condition string `yaml:"condition"`
		} `yaml:"depends_on"`
	} `yaml:"services"`
	Volumes map[string]any `yaml:"volumes"`
}

func TestCompose(t *testing.T) {
	f := decodeAll[composeFile](t, "compose.yaml")[0]
	text := readText(t, "kestrel.yaml")
	c := loadConfig(t, "kestrel.yaml", text)
	d := readDockerfile(t)

	kafka, ok := f.Services["kafka"]
	if !ok || !strings.HasPrefix(kafka.Image, "apache/kafka:") {
		t.Fatalf("no apache/kafka service: %+v", kafka)
	}
	if roles := kafka.Environment["KAFKA_PROCESS_ROLES"]; !strings.Contains(roles, "controller") || !strings.Contains(roles, "broker") {
		t.Errorf("KAFKA_PROCESS_ROLES = %q: not a KRaft single node", roles)
	}
	// The brokers kestrel dials are an advertised listener.
	for _, b := range c.Kafka.Brokers {
		if !strings.Contains(kafka.Environment["KAFKA_ADVERTISED_LISTENERS"], "//"+b) {
			t.Errorf("kafka.brokers %s is not advertised: %s", b, kafka.Environment["KAFKA_ADVERTISED_LISTENERS"])
		}
	}
	if host, _, _ := net.SplitHostPort(c.Features.Redis.Addr); c.Features.Store != config.StoreRedis || !strings.HasPrefix(f.Services[host].Image, "redis:7") {
		t.Errorf("features: store %q at %q; want redis, a Redis 7 service", c.Features.Store, c.Features.Redis.Addr)
	}

	// Every topic kestrel.yaml uses is created, and the input topics have the
	// same number of partitions, 6 for transactions.
	created := map[string]string{}
	for _, m := range regexp.MustCompile(`--topic (\S+) --partitions (\d+)`).FindAllStringSubmatch(strings.Join(f.Services["kafka-init"].Command, "\n"), -1) {
		created[m[1]] = m[2]
	}
	if created["transactions"] != "6" {
		t.Errorf("transactions has %q partitions, want 6", created["transactions"])
	}
	var topics []string
	for name, s := range c.Sources {
		if s.Kafka == nil {
			t.Errorf("sources.%s is not Kafka: two instances would each see part of it", name)
			continue
		}
		topics = append(topics, s.Kafka.Topic)
		if p := created[s.Kafka.Topic]; p != created["transactions"] {
			t.Errorf("input topic %s has %q partitions, transactions %q: not co-partitioned", s.Kafka.Topic, p, created["transactions"])
		}
	}
	for _, sinks := range c.Outputs {
		for _, s := range sinks {
			if s.Kafka != nil {
				topics = append(topics, s.Kafka.Topic)
			}
		}
	}
	for _, topic := range topics {
		if _, ok := created[topic]; !ok {
			t.Errorf("topic %s is used by kestrel.yaml but not created by kafka-init", topic)
		}
	}

	// Two kestrel instances: one image, the same configuration and rules,
	// each its own data volume, the environment the configuration needs.
	dataVolumes := map[string]bool{}
	for _, name := range []string{"kestrel-1", "kestrel-2"} {
		s, ok := f.Services[name]
		if !ok {
			t.Errorf("no service %s", name)
			continue
		}
		if s.Image != "kestrel:dev" {
			t.Errorf("%s: image %q", name, s.Image)
		}
		if s.DependsOn["kafka-init"].Condition != "service_completed_successfully" || s.DependsOn["redis"].Condition != "service_healthy" {
			t.Errorf("%s: depends_on %+v", name, s.DependsOn)
		}
		for _, v := range envRefs(text) {
			if _, ok := s.Environment[v]; !ok {
				t.Errorf("%s: kestrel.yaml needs ${%s}, which the service's environment does not set", name, v)
			}
		}
		mounts := map[string]string{} // container path → source
		for _, v := range s.Volumes {
			parts := strings.Split(v, ":")
			mounts[parts[1]] = parts[0]
			if strings.HasPrefix(parts[0], ".") {
				if _, err := os.Stat(parts[0]); err != nil {
					t.Errorf("%s mounts %s: %v", name, parts[0], err)
				}
			}
		}
		if mounts[d.configPath] != "./kestrel.yaml" {
			t.Errorf("%s: %s (the ENTRYPOINT's --config) is %q, want ./kestrel.yaml", name, d.configPath, mounts[d.configPath])
		}
		for _, r := range c.Rules {
			if mounts[r] == "" {
				t.Errorf("%s: rules %s is not mounted", name, r)
			}
		}
		vol := mounts[c.Data]
		if _, declared := f.Volumes[vol]; !declared || dataVolumes[vol] {
			t.Errorf("%s: data %s is on %q; want a named volume of its own", name, c.Data, vol)
		}
		dataVolumes[vol] = true
		if len(s.Ports) != 1 || !strings.HasSuffix(s.Ports[0], ":"+port(t, c.Listen)) {
			t.Errorf("%s: ports %v, kestrel listens on %s", name, s.Ports, c.Listen)
		}
	}
}

// object is what the tests read of a Kubernetes manifest.
type object struct {
	Kind     string `yaml:"kind"`
	Metadata struct {
		Name   string            `yaml:"name"`
		Labels map[string]string `yaml:"labels"`
	} `yaml:"metadata"`
	Data map[string]string `yaml:"data"` // ConfigMap
	Spec struct {
		// Service
		Selector  yaml.Node `yaml:"selector"`
		ClusterIP string    `yaml:"clusterIP"`
		Ports     []struct {
			Port       int    `yaml:"port"`
			TargetPort string `yaml:"targetPort"`
		} `yaml:"ports"`
		// StatefulSet
		ServiceName string `yaml:"serviceName"`
		Template    struct {
			Metadata struct {
				Labels map[string]string `yaml:"labels"`
			} `yaml:"metadata"`
			Spec struct {
				SecurityContext struct {
					RunAsNonRoot bool `yaml:"runAsNonRoot"`
					RunAsUser    int  `yaml:"runAsUser"`
				} `yaml:"securityContext"`
				Containers []container `yaml:"containers"`
				Volumes    []struct {
					Name      string `yaml:"name"`
					ConfigMap struct {
						Name  string `yaml:"name"`
						Items []struct {
							Key  string `yaml:"key"`
							Path string `yaml:"path"`
						} `yaml:"items"`
					} `yaml:"configMap"`
				} `yaml:"volumes"`
			} `yaml:"spec"`
		} `yaml:"template"`
		VolumeClaimTemplates []struct {
			Metadata struct {
				Name string `yaml:"name"`
			} `yaml:"metadata"`
		} `yaml:"volumeClaimTemplates"`
	} `yaml:"spec"`
}

type probe struct {
	HTTPGet struct {
		Path string `yaml:"path"`
		Port string `yaml:"port"`
	} `yaml:"httpGet"`
}

type container struct {
	Image string `yaml:"image"`
	Ports []struct {
		Name          string `yaml:"name"`
		ContainerPort int    `yaml:"containerPort"`
	} `yaml:"ports"`
	Env []struct {
		Name string `yaml:"name"`
	} `yaml:"env"`
	Resources struct {
		Requests map[string]string `yaml:"requests"`
		Limits   map[string]string `yaml:"limits"`
	} `yaml:"resources"`
	LivenessProbe   probe `yaml:"livenessProbe"`
	ReadinessProbe  probe `yaml:"readinessProbe"`
	SecurityContext struct {
		AllowPrivilegeEscalation *bool `yaml:"allowPrivilegeEscalation"`
	} `yaml:"securityContext"`
	VolumeMounts []struct {
		Name      string `yaml:"name"`
		MountPath string `yaml:"mountPath"`
	} `yaml:"volumeMounts"`
}

func TestKubernetes(t *testing.T) {
	files, _ := filepath.Glob("k8s/*.yaml")
	objects := map[string]object{} // kind/name → object
	for _, name := range files {
		for _, o := range decodeAll[object](t, name) {
			objects[o.Kind+"/"+o.Metadata.Name] = o
		}
	}
	cm, ok := objects["ConfigMap/kestrel"]
	if !ok {
		t.Fatalf("no ConfigMap kestrel in %v", files)
	}
	text := cm.Data["kestrel.yaml"]
	c := loadConfig(t, "k8s/configmap.yaml: kestrel.yaml", text)

	// The rules are testdata's, unchanged.
	var krl []string
	for key, src := range cm.Data {
		if !strings.HasSuffix(key, ".krl") {
			continue
		}
		krl = append(krl, key)
		if want := readText(t, filepath.Join("../testdata/rules", key)); src != want {
			t.Errorf("ConfigMap %s differs from testdata/rules/%s", key, key)
		}
	}
	if len(krl) < 2 {
		t.Errorf("ConfigMap rules %v: want the stream declarations and a rule", krl)
	}

	sts, ok := objects["StatefulSet/kestrel"]
	if !ok {
		t.Fatal("no StatefulSet kestrel")
	}
	pod := sts.Spec.Template.Spec
	if !pod.SecurityContext.RunAsNonRoot || pod.SecurityContext.RunAsUser != 65532 {
		t.Errorf("pod securityContext %+v: want non-root, the image's uid 65532", pod.SecurityContext)
	}
	if len(pod.Containers) != 1 {
		t.Fatalf("%d containers", len(pod.Containers))
	}
	k := pod.Containers[0]
	if k.LivenessProbe.HTTPGet.Path != "/healthz" || k.ReadinessProbe.HTTPGet.Path != "/readyz" {
		t.Errorf("probes: liveness %s, readiness %s", k.LivenessProbe.HTTPGet.Path, k.ReadinessProbe.HTTPGet.Path)
	}
	if k.SecurityContext.AllowPrivilegeEscalation == nil || *k.SecurityContext.AllowPrivilegeEscalation {
		t.Error("allowPrivilegeEscalation is not false")
	}
	if k.Resources.Requests["cpu"] == "" || k.Resources.Requests["memory"] == "" || k.Resources.Limits["memory"] == "" {
		t.Errorf("resources %+v", k.Resources)
	}
	if len(k.Ports) != 1 || k.Ports[0].Name != "http" || port(t, c.Listen) != "8080" || k.Ports[0].ContainerPort != 8080 {
		t.Errorf("container ports %+v, kestrel listens on %s", k.Ports, c.Listen)
	}
	for _, v := range envRefs(text) {
		if !slices.ContainsFunc(k.Env, func(e struct {
			Name string `yaml:"name"`
		}) bool {
			return e.Name == v
		}) {
			t.Errorf("kestrel.yaml needs ${%s}, which the container's env does not set", v)
		}
	}

	// Mounts: /data on the claim template, the ConfigMap where the image's
	// ENTRYPOINT reads its configuration, every rule where config.rules says.
	mounts := map[string]string{} // mount path → volume name
	for _, m := range k.VolumeMounts {
		mounts[m.MountPath] = m.Name
	}
	if len(sts.Spec.VolumeClaimTemplates) != 1 || mounts[c.Data] != sts.Spec.VolumeClaimTemplates[0].Metadata.Name {
		t.Errorf("data %s is mounted from %q, not the volumeClaimTemplate", c.Data, mounts[c.Data])
	}
	files = nil // paths in the container that come from the ConfigMap
	for _, v := range pod.Volumes {
		if v.ConfigMap.Name != "kestrel" {
			continue
		}
		for dir, name := range mounts {
			if name != v.Name {
				continue
			}
			for _, item := range v.ConfigMap.Items {
				if _, ok := cm.Data[item.Key]; !ok {
					t.Errorf("volume %s mounts ConfigMap key %s, which it does not have", v.Name, item.Key)
				}
				files = append(files, filepath.Join(dir, item.Path))
			}
		}
	}
	if d := readDockerfile(t); !slices.Contains(files, d.configPath) {
		t.Errorf("the ConfigMap does not put kestrel.yaml at %s: %v", d.configPath, files)
	}
	for _, key := range krl {
		found := false
		for _, r := range c.Rules {
			found = found || slices.Contains(files, filepath.Join(r, key))
		}
		if !found {
			t.Errorf("rule file %s is not mounted under the rules of kestrel.yaml %v: %v", key, c.Rules, files)
		}
	}

	// The Services select the pods; the headless one governs the StatefulSet.
	labels := sts.Spec.Template.Metadata.Labels
	for _, name := range []string{"kestrel", sts.Spec.ServiceName} {
		svc, ok := objects["Service/"+name]
		if !ok {
			t.Errorf("no Service %s", name)
			continue
		}
		var sel map[string]string
		if err := svc.Spec.Selector.Decode(&sel); err != nil || len(sel) == 0 {
			t.Errorf("Service %s: selector %v", name, err)
		}
		for key, val := range sel {
			if labels[key] != val {
				t.Errorf("Service %s selects %s=%s; the pods have %v", name, key, val, labels)
			}
		}
		if len(svc.Spec.Ports) != 1 || svc.Spec.Ports[0].TargetPort != "http" {
			t.Errorf("Service %s: ports %+v", name, svc.Spec.Ports)
		}
	}
	if objects["Service/"+sts.Spec.ServiceName].Spec.ClusterIP != "None" {
		t.Errorf("Service %s is not headless", sts.Spec.ServiceName)
	}
}
