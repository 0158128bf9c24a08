// Package kubeutil holds the small Kubernetes helpers shared by the launcher and
// the simulator: multi-document YAML decoding, server-side apply through the
// dynamic client, and waiting for CRDs to become Established.
package kubeutil

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/wait"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
)

// FieldManager is the server-side apply field manager used by the launcher.
const FieldManager = "chaosgate-localcluster"

// DecodeYAML splits a multi-document YAML (or JSON) stream into objects,
// skipping empty documents. List kinds are flattened into their items.
func DecodeYAML(data []byte) ([]*unstructured.Unstructured, error) {
	dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
	var out []*unstructured.Unstructured
	for {
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return nil, err
		}
		if len(m) == 0 {
			continue
		}
		u := &unstructured.Unstructured{Object: m}
		if u.IsList() {
			l, err := u.ToList()
			if err != nil {
				return nil, err
			}
			for i := range l.Items {
				out = append(out, &l.Items[i])
			}
			continue
		}
		if u.GetKind() == "" || u.GetAPIVersion() == "" {
			return nil, fmt.Errorf("document without apiVersion/kind: %.80v", m)
		}
		out = append(out, u)
	}
}

// Applier applies unstructured objects with server-side apply.
type Applier struct {
	Dynamic dynamic.Interface
	mapper  *restmapper.DeferredDiscoveryRESTMapper
}

// NewApplier builds an Applier for cfg.
func NewApplier(cfg *rest.Config) (*Applier, error) {
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	dc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		return nil, err
	}
	return &Applier{Dynamic: dyn, mapper: restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(dc))}, nil
}

// ResetMapper forgets cached discovery (call after installing CRDs).
func (a *Applier) ResetMapper() { a.mapper.Reset() }

// Mapping resolves the REST mapping of a GroupVersionKind.
func (a *Applier) Mapping(gvk schema.GroupVersionKind) (*meta.RESTMapping, error) {
	m, err := a.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err != nil && meta.IsNoMatchError(err) {
		a.mapper.Reset()
		m, err = a.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	}
	return m, err
}

// Resource returns the dynamic client for obj, honouring its namespace (or
// defaultNS when the object is namespaced and has none).
func (a *Applier) Resource(obj *unstructured.Unstructured, defaultNS string) (dynamic.ResourceInterface, error) {
	m, err := a.Mapping(obj.GroupVersionKind())
	if err != nil {
		return nil, err
	}
	if m.Scope.Name() == meta.RESTScopeNameNamespace {
		ns := obj.GetNamespace()
		if ns == "" {
			ns = defaultNS
			if ns == "" {
				ns = metav1.NamespaceDefault
			}
			obj.SetNamespace(ns)
		}
		return a.Dynamic.Resource(m.Resource).Namespace(ns), nil
	}
	return a.Dynamic.Resource(m.Resource), nil
}

// Apply server-side applies obj (forcing conflicts) and returns the result.
func (a *Applier) Apply(ctx context.Context, obj *unstructured.Unstructured, defaultNS string) (*unstructured.Unstructured, error) {
	ri, err := a.Resource(obj, defaultNS)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", obj.GetKind(), obj.GetName(), err)
	}
	// Status is applied separately through the status subresource where needed.
	clean := obj.DeepCopy()
	unstructured.RemoveNestedField(clean.Object, "status")
	res, err := ri.Apply(ctx, obj.GetName(), clean, metav1.ApplyOptions{FieldManager: FieldManager, Force: true})
	if err != nil {
		return nil, fmt.Errorf("apply %s %s/%s: %w", obj.GetKind(), obj.GetNamespace(), obj.GetName(), err)
	}
	return res, nil
}

// ApplyAll applies objects in order.
func (a *Applier) ApplyAll(ctx context.Context, objs []*unstructured.Unstructured, defaultNS string) error {
	for _, o := range objs {
		if _, err := a.Apply(ctx, o, defaultNS); err != nil {
			return err
		}
	}
	return nil
}

var crdGVR = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}

// WaitEstablished waits until every named CRD reports Established=True and
// NamesAccepted=True.
func (a *Applier) WaitEstablished(ctx context.Context, names []string, timeout time.Duration) error {
	pending := map[string]bool{}
	for _, n := range names {
		pending[n] = true
	}
	err := wait.PollUntilContextTimeout(ctx, 200*time.Millisecond, timeout, true, func(ctx context.Context) (bool, error) {
		for n := range pending {
			u, err := a.Dynamic.Resource(crdGVR).Get(ctx, n, metav1.GetOptions{})
			if err != nil {
				if apierrors.IsNotFound(err) {
					continue
				}
				return false, err
			}
			conds, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
			est, acc := false, false
			for _, c := range conds {
				cm, _ := c.(map[string]any)
				if cm["status"] != "True" {
					continue
				}
				switch cm["type"] {
				case "Established":
					est = true
				case "NamesAccepted":
					acc = true
				}
			}
			if est && acc {
				delete(pending, n)
			}
		}
		return len(pending) == 0, nil
	})
	if err != nil {
		var left []string
		for n := range pending {
			left = append(left, n)
		}
		return fmt.Errorf("CRDs not established after %s: %s: %w", timeout, strings.Join(left, ", "), err)
	}
	a.ResetMapper()
	return nil
}
