package main

import (
	"bytes"
	"strings"
	"testing"
)

// good is a Deployment that follows every rule, with the ConfigMap it reads.
const good = `apiVersion: v1
kind: ConfigMap
metadata:
  name: order-config
data:
  SHUTDOWN_TIMEOUT: 15s
---
# comments only between documents are not a document
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: order
spec:
  selector:
    matchLabels: {app: order}
  template:
    metadata:
      labels: {app: order}
    spec:
      terminationGracePeriodSeconds: 20
      securityContext:
        runAsNonRoot: true
        runAsUser: 65532
        seccompProfile: {type: RuntimeDefault}
      containers:
        - name: server
          image: order
          ports: [{name: grpc, containerPort: 50051}]
          envFrom:
            - configMapRef: {name: order-config}
            - secretRef: {name: order-secrets}
          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: {name: order-secrets, key: DB_PASSWORD}
          readinessProbe:
            grpc: {port: 50051}
          livenessProbe:
            grpc: {port: 50051}
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {memory: 256Mi}
          securityContext:
            readOnlyRootFilesystem: true
            allowPrivilegeEscalation: false
            capabilities: {drop: [ALL]}
`

func check(t *testing.T, manifest string) []string {
	t.Helper()
	problems, _ := Check("test.yaml", []byte(manifest))
	return problems
}

func wantOne(t *testing.T, manifest, substring string) {
	t.Helper()
	problems := check(t, manifest)
	if len(problems) != 1 || !strings.Contains(problems[0], substring) {
		t.Fatalf("want one problem containing %q, got %d:\n%s", substring, len(problems), strings.Join(problems, "\n"))
	}
}

func TestGoodManifestPasses(t *testing.T) {
	problems, n := Check("test.yaml", []byte(good))
	if len(problems) != 0 || n != 2 {
		t.Fatalf("want 2 documents and no problem, got %d: %v", n, problems)
	}
}

func TestMisspelledFieldIsRefused(t *testing.T) {
	bad := strings.Replace(good, "readinessProbe:", "readinesProbe:", 1)
	wantOne(t, bad, `unknown field "spec.template.spec.containers[0].readinesProbe"`)
}

func TestMisspelledNestedFieldIsRefused(t *testing.T) {
	bad := strings.Replace(good, "readOnlyRootFilesystem: true", "readOnlyRootFileSystem: true", 1)
	wantOne(t, bad, `unknown field "spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem"`)
}

func TestDuplicatedKeyIsRefused(t *testing.T) {
	bad := strings.Replace(good, "      terminationGracePeriodSeconds: 20\n", "      terminationGracePeriodSeconds: 20\n      terminationGracePeriodSeconds: 30\n", 1)
	wantOne(t, bad, `duplicate`)
}

func TestUnknownKindIsRefused(t *testing.T) {
	wantOne(t, "apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: x}\n", `no kind "Deploymnet"`)
}

func TestInlinedSecretIsRefused(t *testing.T) {
	bad := strings.Replace(good, `              valueFrom:
                secretKeyRef: {name: order-secrets, key: DB_PASSWORD}`, `              value: hunter2hunter2`, 1)
	wantOne(t, bad, "env DB_PASSWORD has an inline value")
	url := strings.Replace(good, `            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: {name: order-secrets, key: DB_PASSWORD}`, `            - name: RABBITMQ_URL
              value: amqp://app:pw@rabbitmq:5672/`, 1)
	wantOne(t, url, "env RABBITMQ_URL holds a URL with a password")
	wantOne(t, "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {DB_PASSWORD: x}\n", "a Secret with values in the manifests")
}

func TestGracePeriodMustExceedShutdownTimeout(t *testing.T) {
	bad := strings.Replace(good, "terminationGracePeriodSeconds: 20", "terminationGracePeriodSeconds: 15", 1)
	wantOne(t, bad, "terminationGracePeriodSeconds 15 does not exceed SHUTDOWN_TIMEOUT 15s")
	// Without the field the kubelet's default of 30s applies.
	def := strings.Replace(strings.Replace(good, "      terminationGracePeriodSeconds: 20\n", "", 1), "SHUTDOWN_TIMEOUT: 15s", "SHUTDOWN_TIMEOUT: 45s", 1)
	wantOne(t, def, "terminationGracePeriodSeconds 30 does not exceed SHUTDOWN_TIMEOUT 45s")
}

func TestHardeningAndProbesAreRequired(t *testing.T) {
	cases := map[string][2]string{
		"non-root":   {"runAsNonRoot: true", "runAsNonRoot: false"},
		"seccomp":    {"seccompProfile: {type: RuntimeDefault}", "seccompProfile: {type: Unconfined}"},
		"read-only":  {"readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false"},
		"escalation": {"allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true"},
		"caps":       {"capabilities: {drop: [ALL]}", "capabilities: {drop: [NET_RAW]}"},
		"liveness":   {"          livenessProbe:\n            grpc: {port: 50051}\n", ""},
		"memory":     {"limits: {memory: 256Mi}", "limits: {cpu: 1}"},
	}
	want := map[string]string{
		"non-root": "runAsNonRoot is not true", "seccomp": "no RuntimeDefault seccomp profile",
		"read-only": "readOnlyRootFilesystem is not true", "escalation": "allowPrivilegeEscalation is not false",
		"caps": "capabilities.drop does not hold ALL", "liveness": "has no livenessProbe",
		"memory": "resources.limits needs memory",
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			bad := strings.Replace(good, c[0], c[1], 1)
			if bad == good {
				t.Fatalf("replacement %q not found", c[0])
			}
			wantOne(t, bad, want[name])
		})
	}
}

func TestRunExitCodes(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"-"}, strings.NewReader(good), &out, &errb); code != 0 {
		t.Fatalf("good manifest: exit %d\n%s%s", code, out.String(), errb.String())
	}
	out.Reset()
	if code := run([]string{"-"}, strings.NewReader(strings.Replace(good, "image:", "imag:", 1)), &out, &errb); code != 1 {
		t.Fatalf("misspelled field: exit %d, want 1", code)
	}
	if !strings.Contains(out.String(), `unknown field "spec.template.spec.containers[0].imag"`) {
		t.Fatalf("output does not name the field:\n%s", out.String())
	}
	out.Reset()
	if code := run([]string{"-"}, strings.NewReader("# nothing\n"), &out, &errb); code != 1 {
		t.Fatalf("empty stream: exit %d, want 1 (an empty build must not pass)", code)
	}
	if code := run(nil, nil, &out, &errb); code != 2 {
		t.Fatalf("no arguments: exit %d, want 2", code)
	}
}
