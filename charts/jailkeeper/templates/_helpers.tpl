{{/* Chart name, truncated to the 63-character label limit. */}}
{{- define "jailkeeper.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Fully qualified app name: the release name, with the chart name unless already in it. */}}
{{- define "jailkeeper.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "jailkeeper.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "jailkeeper.selectorLabels" -}}
app.kubernetes.io/name: {{ include "jailkeeper.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "jailkeeper.labels" -}}
helm.sh/chart: {{ include "jailkeeper.chart" . }}
{{ include "jailkeeper.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: jailkeeper
{{- end -}}

{{- define "jailkeeper.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "jailkeeper.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The hook Jobs' own ServiceAccount (hooks run before the release's objects exist). */}}
{{- define "jailkeeper.certsServiceAccountName" -}}
{{- printf "%s-certs" (include "jailkeeper.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "jailkeeper.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* Serving certificate Secret: written by the bootstrap Job or by cert-manager. */}}
{{- define "jailkeeper.tlsSecretName" -}}
{{- default (printf "%s-tls" (include "jailkeeper.fullname" .)) .Values.tls.secretName -}}
{{- end -}}

{{/*
MutatingWebhookConfiguration name. The API server calls mutating webhooks in the order of
their configuration names; the prefix "0600-" sorts after EKS's
"0500-amazon-eks-fargate-mutation.amazonaws.com" (which sets the Fargate scheduler), so the
webhook sees the final scheduling decision.
*/}}
{{- define "jailkeeper.webhookConfigName" -}}
{{- printf "%s-%s.jailkeeper.io" .Values.webhook.namePrefix (include "jailkeeper.fullname" .) | trunc 253 -}}
{{- end -}}

{{/* Config file rendered from .Values.config; launcher.image defaults to the chart image. */}}
{{- define "jailkeeper.config" -}}
{{- $config := deepCopy .Values.config -}}
{{- $launcher := default (dict) $config.launcher -}}
{{- if not $launcher.image -}}
{{- $_ := set $launcher "image" (include "jailkeeper.image" .) -}}
{{- end -}}
{{- $_ := set $config "launcher" $launcher -}}
{{- toYaml $config -}}
{{- end -}}
