// Command k8scheck decodes Kubernetes manifests strictly with the API types of
// client-go's scheme and checks the golden path's rules for workloads. The
// template suites run it on every overlay of every rendered service and of
// the gateway, after `kustomize build` (templates/go-service/dev/check.sh).
//
// Usage: k8scheck FILE... ("-" reads standard input); each FILE is a YAML
// stream such as the output of `kustomize build`. It prints one line per
// problem (where, what, how to fix) and exits 1 when there is one, 2 on a
// usage or read error.
//
// Strict decoding refuses a document whose kind the API does not know, a
// field the type does not have (a misspelled field is silently dropped by a
// lenient decoder and by `kubectl apply` on older clusters) and a duplicated
// key. The rules on top of the types:
//   - every container and init container: readOnlyRootFilesystem,
//     allowPrivilegeEscalation false, all capabilities dropped, CPU and memory
//     requests and a memory limit; the pod: runAsNonRoot and the
//     RuntimeDefault seccomp profile;
//   - a Deployment's containers with ports have readiness and liveness probes;
//   - no secret in the manifests: no Secret with data, no env value for a
//     variable named like a secret, no URL with a password (use
//     valueFrom.secretKeyRef or envFrom.secretRef);
//   - terminationGracePeriodSeconds is above the SHUTDOWN_TIMEOUT the
//     container gets (from env or an envFrom ConfigMap in the same stream).
package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer/json"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/yaml"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: k8scheck FILE... (- for standard input), e.g. kustomize build overlays/prod | k8scheck -")
		return 2
	}
	var problems []string
	total := 0
	for _, name := range args {
		var data []byte
		var err error
		if name == "-" {
			data, err = io.ReadAll(stdin)
			name = "<stdin>"
		} else {
			data, err = os.ReadFile(name)
		}
		if err != nil {
			fmt.Fprintf(stderr, "k8scheck: %v\n", err)
			return 2
		}
		p, n := Check(name, data)
		problems = append(problems, p...)
		total += n
	}
	for _, p := range problems {
		fmt.Fprintln(stdout, p)
	}
	if len(problems) > 0 {
		fmt.Fprintf(stdout, "k8scheck: %d problem(s) in %d document(s)\n", len(problems), total)
		return 1
	}
	if total == 0 {
		fmt.Fprintf(stdout, "k8scheck: no Kubernetes document in %s\n", strings.Join(args, ", "))
		return 1
	}
	fmt.Fprintf(stdout, "k8scheck: %d document(s) decoded strictly, no problem\n", total)
	return 0
}

// strict decodes JSON into the registered API types, refusing unknown fields
// and duplicated keys.
var strict = json.NewSerializerWithOptions(json.DefaultMetaFactory, scheme.Scheme, scheme.Scheme,
	json.SerializerOptions{Strict: true})

type doc struct {
	where string
	obj   runtime.Object
}

// Check decodes every document of one YAML stream and applies the rules; it
// returns the problems, one line each, and the number of documents.
func Check(name string, data []byte) ([]string, int) {
	var problems []string
	var docs []doc
	count := 0
	r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	for i := 1; ; i++ {
		raw, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: document %d: not YAML: %v", name, i, err))
			break
		}
		where := fmt.Sprintf("%s: document %d", name, i)
		j, err := yaml.YAMLToJSONStrict(raw)
		if err != nil {
			count++
			problems = append(problems, fmt.Sprintf("%s: %v (remove the duplicated key)", where, err))
			continue
		}
		if t := bytes.TrimSpace(j); len(t) == 0 || string(t) == "null" {
			i-- // only comments or an empty document
			continue
		}
		count++
		obj, gvk, err := strict.Decode(j, nil, nil)
		if gvk != nil && gvk.Kind != "" {
			where = fmt.Sprintf("%s (%s %s)", where, gvk.Kind, nameOf(obj, j))
		}
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v (fix the field name or the kind; `kubectl explain` lists the fields)", where, err))
			continue
		}
		docs = append(docs, doc{where: where, obj: obj})
	}
	configMaps := map[string]map[string]string{}
	for _, d := range docs {
		if cm, ok := d.obj.(*corev1.ConfigMap); ok {
			configMaps[cm.Name] = cm.Data
		}
	}
	for _, d := range docs {
		problems = append(problems, rules(d, configMaps)...)
	}
	return problems, count
}

func nameOf(obj runtime.Object, j []byte) string {
	var m struct {
		Metadata struct {
			Name string `json:"name"`
		} `json:"metadata"`
	}
	_ = yaml.Unmarshal(j, &m)
	return m.Metadata.Name
}

func rules(d doc, configMaps map[string]map[string]string) []string {
	switch o := d.obj.(type) {
	case *appsv1.Deployment:
		return podRules(d.where, &o.Spec.Template.Spec, true, configMaps)
	case *appsv1.StatefulSet:
		return podRules(d.where, &o.Spec.Template.Spec, true, configMaps)
	case *appsv1.DaemonSet:
		return podRules(d.where, &o.Spec.Template.Spec, true, configMaps)
	case *batchv1.Job:
		return podRules(d.where, &o.Spec.Template.Spec, false, configMaps)
	case *batchv1.CronJob:
		return podRules(d.where, &o.Spec.JobTemplate.Spec.Template.Spec, false, configMaps)
	case *corev1.Pod:
		return podRules(d.where, &o.Spec, false, configMaps)
	case *corev1.Secret:
		if len(o.Data) > 0 || len(o.StringData) > 0 {
			return []string{d.where + ": a Secret with values in the manifests; create it in the cluster (kubectl create secret, a secret manager) and reference it with secretKeyRef or envFrom.secretRef"}
		}
	}
	return nil
}

// secretName matches environment variables that hold secrets.
var secretName = regexp.MustCompile(`(?i)(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?)$`)

func podRules(where string, spec *corev1.PodSpec, serves bool, configMaps map[string]map[string]string) []string {
	var p []string
	add := func(format string, args ...any) { p = append(p, where+": "+fmt.Sprintf(format, args...)) }
	psc := spec.SecurityContext
	if psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot {
		add("spec.template.spec.securityContext.runAsNonRoot is not true; set it (and runAsUser to a non-zero id)")
	}
	podSeccomp := psc != nil && psc.SeccompProfile != nil && psc.SeccompProfile.Type == corev1.SeccompProfileTypeRuntimeDefault
	grace := int64(corev1.DefaultTerminationGracePeriodSeconds)
	if spec.TerminationGracePeriodSeconds != nil {
		grace = *spec.TerminationGracePeriodSeconds
	}
	type ctr struct {
		kind string
		c    *corev1.Container
	}
	var all []ctr
	for i := range spec.InitContainers {
		all = append(all, ctr{"initContainers", &spec.InitContainers[i]})
	}
	for i := range spec.Containers {
		all = append(all, ctr{"containers", &spec.Containers[i]})
	}
	for _, x := range all {
		c, at := x.c, fmt.Sprintf("%s[%s]", x.kind, x.c.Name)
		sc := c.SecurityContext
		switch {
		case sc == nil:
			add("%s has no securityContext; set readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities.drop: [ALL]", at)
		default:
			if sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
				add("%s: securityContext.readOnlyRootFilesystem is not true; set it and mount an emptyDir where the process writes", at)
			}
			if sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
				add("%s: securityContext.allowPrivilegeEscalation is not false; set it to false", at)
			}
			if sc.Capabilities == nil || !slices.Contains(sc.Capabilities.Drop, "ALL") {
				add("%s: securityContext.capabilities.drop does not hold ALL; drop all capabilities", at)
			}
			if !podSeccomp && (sc.SeccompProfile == nil || sc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault) {
				add("%s: no RuntimeDefault seccomp profile; set securityContext.seccompProfile.type: RuntimeDefault on the pod", at)
			}
		}
		if c.Resources.Requests.Cpu().IsZero() || c.Resources.Requests.Memory().IsZero() {
			add("%s: resources.requests needs cpu and memory", at)
		}
		if c.Resources.Limits.Memory().IsZero() {
			add("%s: resources.limits needs memory", at)
		}
		if serves && x.kind == "containers" && len(c.Ports) > 0 {
			if c.ReadinessProbe == nil {
				add("%s serves ports but has no readinessProbe; add one (grpc: for a gRPC server)", at)
			}
			if c.LivenessProbe == nil {
				add("%s serves ports but has no livenessProbe; add one", at)
			}
		}
		shutdown := ""
		for _, ef := range c.EnvFrom {
			if ef.ConfigMapRef != nil {
				if v, ok := configMaps[ef.ConfigMapRef.Name]["SHUTDOWN_TIMEOUT"]; ok {
					shutdown = v
				}
			}
		}
		for _, e := range c.Env {
			if e.Value != "" && secretName.MatchString(e.Name) {
				add("%s: env %s has an inline value; take it from a Secret with valueFrom.secretKeyRef", at, e.Name)
			}
			if u, err := url.Parse(e.Value); err == nil && u.User != nil {
				if _, has := u.User.Password(); has {
					add("%s: env %s holds a URL with a password; take it from a Secret with valueFrom.secretKeyRef", at, e.Name)
				}
			}
			if e.Name == "SHUTDOWN_TIMEOUT" && e.ValueFrom == nil {
				shutdown = e.Value
			}
		}
		if shutdown != "" && x.kind == "containers" {
			d, err := time.ParseDuration(shutdown)
			switch {
			case err != nil:
				add("%s: SHUTDOWN_TIMEOUT %q is not a duration (e.g. 15s)", at, shutdown)
			case time.Duration(grace)*time.Second <= d:
				add("%s: terminationGracePeriodSeconds %d does not exceed SHUTDOWN_TIMEOUT %s, so the kubelet kills the server mid-drain; make it at least %d", at, grace, d, int64(d/time.Second)+5)
			}
		}
	}
	return p
}
