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
breaks): watch them (informers), add and remove its finalizer, write status, record Events.
*/}}
{{- define "ecs-bridge.rules" -}}
# informers of every kind (the EcsTaskDefinition reconciler also reads EcsServices)
- apiGroups: [ecsbridge.io]
  resources: [ecrrepositories, ecsclusters, ecstaskdefinitions, ecsservices]
  verbs: [get, list, watch]
# the operator's finalizer (JSON/SSA patches of metadata only: the operator never writes spec)
- apiGroups: [ecsbridge.io]
  resources: [ecrrepositories, ecsclusters, ecstaskdefinitions, ecsservices]
  verbs: [patch]
# status (server-side apply)
- apiGroups: [ecsbridge.io]
  resources: [ecrrepositories/status, ecsclusters/status, ecstaskdefinitions/status, ecsservices/status]
  verbs: [patch]
# Events on the resources (a repeat bumps the count of the existing Event)
- apiGroups: [""]
  resources: [events]
  verbs: [create, get, patch]
{{- end }}
