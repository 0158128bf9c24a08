// Package localcluster embeds the pinned Chaos Mesh CRDs and the demo manifests
// so that the launcher binary needs no checkout at run time.
package localcluster

import "embed"

// CRDFile is the path of the pinned Chaos Mesh CRDs inside Assets.
const CRDFile = "crds/chaos-mesh-v2.8.3.yaml"

// Assets holds crds/ and demo/.
//
//go:embed crds/chaos-mesh-v2.8.3.yaml demo/*.yaml
var Assets embed.FS
