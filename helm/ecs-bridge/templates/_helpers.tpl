{{- define "ecs-bridge.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "ecs-bridge.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "ecs-bridge.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ecs-bridge.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Sharding (values.shards): how many shards, and the suffix of a shard's objects (-shard-<k>; none when unsharded: the
objects of one shard are today's, names and selectors unchanged; the suffix takes (dict "shards" N "shard" k)). A
shard's pods carry the label ecsbridge.io/shard: "<k>".
*/}}
{{- define "ecs-bridge.shards" -}}
{{- $n := int (.Values.shards | default 1) }}
{{- if lt $n 1 }}{{ fail "shards must be at least 1" }}{{ end }}
{{- $n }}
{{- end }}

{{- define "ecs-bridge.shardSuffix" -}}
{{- if gt (int .shards) 1 }}-shard-{{ .shard }}{{ end }}
{{- end }}

{{- define "ecs-bridge.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "ecs-bridge.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: ecs-bridge
{{- end }}

{{- define "ecs-bridge.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "ecs-bridge.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
What the operator does with its own resources, one rule per purpose (RbacIT removes each in turn and shows what
breaks): watch them (informers), add and remove its finalizer, write status, record Events. The kinds come from
files/kinds.yaml, generated from the operator's list of kinds by `make crds`. Called with (dict "root" $ "scope" S):
S "all" every kind; "Namespaced" the namespaced kinds (a Role per watched namespace); "Cluster" the cluster-scoped
kinds (AwsAccount) and what they read (Namespaces), which only a ClusterRole can grant.
*/}}
{{- define "ecs-bridge.rules" -}}
{{- $root := .root }}
{{- $scope := .scope }}
{{- $kinds := $root.Files.Get "files/kinds.yaml" | fromYaml }}
{{- $plurals := list }}
{{- $status := list }}
{{- $reads := list }}
{{- range $kinds.kinds }}
{{- if or (eq $scope "all") (eq $scope (.scope | default "Namespaced")) }}
{{- $plurals = append $plurals .plural }}
{{- $status = append $status (printf "%s/status" .plural) }}
{{- range (.reads | default list) }}
{{- if or (ne . "secrets") $root.Values.operator.secretReferences }}
{{- $reads = append $reads . }}
{{- end }}
{{- end }}
{{- end }}
{{- end -}}
# informers of every kind (the EcsTaskDefinition reconciler also reads EcsServices)
- apiGroups: [{{ $kinds.group }}]
  resources: [{{ join ", " $plurals }}]
  verbs: [get, list, watch]
# the operator's finalizer (JSON/SSA patches of metadata only: the operator never writes spec)
- apiGroups: [{{ $kinds.group }}]
  resources: [{{ join ", " $plurals }}]
  verbs: [patch]
# status (server-side apply)
- apiGroups: [{{ $kinds.group }}]
  resources: [{{ join ", " $status }}]
  verbs: [patch]
{{- if $reads }}
# informers of the Kubernetes objects the kinds read (ConfigMaps an EcsTaskDefinition references; Secrets only with
# operator.secretReferences; Namespaces an AwsAccount selects)
- apiGroups: [""]
  resources: [{{ $reads | uniq | join ", " }}]
  verbs: [get, list, watch]
{{- end }}
# Events on the resources (a repeat bumps the count of the existing Event; a cluster-scoped resource's go to default)
- apiGroups: [""]
  resources: [events]
  verbs: [create, get, patch]
{{- end }}

{{/* Whether the list of kinds has a cluster-scoped kind. */}}
{{- define "ecs-bridge.hasClusterKinds" -}}
{{- $kinds := .Files.Get "files/kinds.yaml" | fromYaml }}
{{- range $kinds.kinds }}{{ if eq (.scope | default "Namespaced") "Cluster" }}true{{ end }}{{ end }}
{{- end }}

{{/* The operator's image: repository@digest when a digest is given, else repository:tag (the appVersion). */}}
{{- define "ecs-bridge.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}
{{- end -}}

{{/* What the CRDs rendered as templates (crds.enabled) carry besides the generated files' metadata. */}}
{{- define "ecs-bridge.crdMetadata" -}}
labels:
  {{- include "ecs-bridge.labels" . | nindent 2 }}
{{- if .Values.crds.keep }}
annotations:
  helm.sh/resource-policy: keep
{{- end }}
{{- end -}}
