{{/* Pod spec shared by the certificate bootstrap and pre-delete hook Jobs. $args: extra args. */}}
{{- define "jailkeeper.certsJobSpec" -}}
{{- $ := index . 0 -}}
{{- $extra := index . 1 -}}
backoffLimit: 3
ttlSecondsAfterFinished: {{ $.Values.certs.ttlSecondsAfterFinished }}
template:
  metadata:
    labels:
      {{- include "jailkeeper.selectorLabels" $ | nindent 6 }}
      app.kubernetes.io/component: certs
  spec:
    restartPolicy: OnFailure
    serviceAccountName: {{ include "jailkeeper.certsServiceAccountName" $ }}
    {{- with $.Values.imagePullSecrets }}
    imagePullSecrets:
      {{- toYaml . | nindent 6 }}
    {{- end }}
    {{- with $.Values.priorityClassName }}
    priorityClassName: {{ . }}
    {{- end }}
    securityContext:
      runAsNonRoot: true
      runAsUser: 65532
      runAsGroup: 65532
      seccompProfile:
        type: RuntimeDefault
    containers:
      - name: certs
        image: {{ include "jailkeeper.image" $ }}
        imagePullPolicy: {{ $.Values.image.pullPolicy }}
        command: [jailkeeper-webhook]
        args:
          - certs
          - --namespace={{ $.Release.Namespace }}
          - --service={{ include "jailkeeper.fullname" $ }}
          - --secret={{ include "jailkeeper.tlsSecretName" $ }}
          - --webhook-config={{ include "jailkeeper.webhookConfigName" $ }}
          {{- range $extra }}
          - {{ . }}
          {{- end }}
        {{- with $.Values.certs.resources }}
        resources:
          {{- toYaml . | nindent 10 }}
        {{- end }}
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          runAsNonRoot: true
          privileged: false
          capabilities:
            drop: [ALL]
          seccompProfile:
            type: RuntimeDefault
    {{- with $.Values.nodeSelector }}
    nodeSelector:
      {{- toYaml . | nindent 6 }}
    {{- end }}
    {{- with $.Values.tolerations }}
    tolerations:
      {{- toYaml . | nindent 6 }}
    {{- end }}
{{- end -}}
