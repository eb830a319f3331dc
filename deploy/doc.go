// Package deploy holds no code: it is the Dockerfile, the compose file and
// the Kubernetes manifests that run kestrel serve (see README.md), and the
// test that checks what can be checked of them without Docker or a cluster:
// every YAML file parses, every kestrel configuration they carry loads and
// validates, and they agree with each other and with the repository.
package deploy
