#!/usr/bin/env bash
# Generates a development CA and a serving certificate for the webhook:
#   ca.pem      the CA (give it to clients / the MutatingWebhookConfiguration caBundle)
#   tls.crt     server certificate for localhost, 127.0.0.1, jailkeeper.jailkeeper.svc
#   tls.key     its private key (mode 600)
# Usage: certs/gen-dev-certs.sh [--force] [OUTDIR]   (OUTDIR defaults to this directory)
# Idempotent: when the files exist, match each other and are valid for another day, nothing
# is done unless --force is given. Generated files are git-ignored; never commit them.
set -euo pipefail

readonly HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly CONFIG="${HERE}/openssl.cnf"
readonly CA_DAYS=825
readonly SERVER_DAYS=365
readonly MIN_REMAINING_SECONDS=86400

force=0
outdir="${HERE}"
for arg in "$@"; do
  case "${arg}" in
    --force) force=1 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "gen-dev-certs: unknown option ${arg}" >&2; exit 2 ;;
    *) outdir="${arg}" ;;
  esac
done

ca="${outdir}/ca.pem"
ca_key="${outdir}/ca.key"
crt="${outdir}/tls.crt"
key="${outdir}/tls.key"

still_valid() {
  [[ -s "${ca}" && -s "${crt}" && -s "${key}" ]] || return 1
  openssl x509 -in "${crt}" -noout -checkend "${MIN_REMAINING_SECONDS}" >/dev/null 2>&1 || return 1
  openssl verify -CAfile "${ca}" "${crt}" >/dev/null 2>&1 || return 1
  # The key must belong to the certificate.
  [[ "$(openssl x509 -in "${crt}" -noout -pubkey)" == "$(openssl pkey -in "${key}" -pubout)" ]]
}

if [[ "${force}" -eq 0 ]] && still_valid; then
  echo "gen-dev-certs: ${outdir} already has a valid CA and certificate (use --force to replace)"
  exit 0
fi

mkdir -p "${outdir}"
umask 077
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT

openssl ecparam -name prime256v1 -genkey -noout -out "${work}/ca.key"
openssl req -config "${CONFIG}" -new -x509 -key "${work}/ca.key" -days "${CA_DAYS}" \
  -subj "/CN=jailkeeper dev CA" -extensions ca_ext -out "${work}/ca.pem"

openssl ecparam -name prime256v1 -genkey -noout -out "${work}/tls.key"
openssl req -config "${CONFIG}" -new -key "${work}/tls.key" \
  -subj "/CN=jailkeeper.jailkeeper.svc" -out "${work}/tls.csr"
openssl x509 -req -in "${work}/tls.csr" -CA "${work}/ca.pem" -CAkey "${work}/ca.key" \
  -CAcreateserial -days "${SERVER_DAYS}" -extfile "${CONFIG}" -extensions server_ext \
  -out "${work}/tls.crt" 2>/dev/null

openssl verify -CAfile "${work}/ca.pem" "${work}/tls.crt" >/dev/null
install -m 600 "${work}/ca.key" "${ca_key}"
install -m 600 "${work}/tls.key" "${key}"
install -m 644 "${work}/ca.pem" "${ca}"
install -m 644 "${work}/tls.crt" "${crt}"
echo "gen-dev-certs: wrote ${ca}, ${crt}, ${key}"
