#!/usr/bin/env bash
# Every secret the overlays reference, generated fresh, printed as YAML for `kubectl apply -f -`:
#
#   deploy/k8s/make-secrets.sh NAMESPACE > secrets.yaml   # keep it in your secret store
#   kubectl apply -f secrets.yaml
#
# Run it ONCE per installation. Running it again makes new keys: the bank-account and TOTP
# keyrings encrypt data at rest, so replacing them instead of adding a key (RUNBOOK.md,
# "Rotating keys") makes that data unreadable. Needs openssl and kubectl ($KUBECTL).
set -euo pipefail
ns=${1:?usage: make-secrets.sh NAMESPACE}
kubectl=${KUBECTL:-kubectl}
components=(gateway relay accounts billing payments collections nightly)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Hex passwords: safe inside a connection URL without escaping.
password() { openssl rand -hex 24; }
# A keyring entry as kernel/sealing.py reads it: id:urlsafe-base64(32 random bytes).
keyring() { printf 'k1:%s' "$(openssl rand 32 | openssl base64 -A | tr '+/' '-_')"; }
secret() { "$kubectl" create secret generic --dry-run=client -o yaml -n "$ns" "$@"; echo '---'; }

secret tapline-db-superuser --type=kubernetes.io/basic-auth \
  --from-literal=username=postgres --from-literal=password="$(password)"
for c in "${components[@]}"; do
  secret "tapline-db-$c" --type=kubernetes.io/basic-auth \
    --from-literal=username="tapline_$c" --from-literal=password="$(password)"
done

openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null \
  | openssl pkcs8 -topk8 -nocrypt -out "$tmp/jwt-private.pem"
openssl ec -in "$tmp/jwt-private.pem" -pubout -out "$tmp/jwt-public.pem" 2>/dev/null
secret tapline-app \
  --from-file=TAPLINE_JWT_PRIVATE_KEY="$tmp/jwt-private.pem" \
  --from-file=TAPLINE_JWT_PUBLIC_KEY="$tmp/jwt-public.pem" \
  --from-literal=TAPLINE_BANK_KEYS="$(keyring)" \
  --from-literal=TAPLINE_TOTP_KEYS="$(keyring)" \
  --from-literal=TAPLINE_LOCKBOX_REMITTER_SECRET="$(openssl rand -hex 32)"
# Files every replica must share (kernel/keys.py local_secret_file): the Idempotency-Key
# fingerprint secret.
"$kubectl" create secret generic --dry-run=client -o yaml -n "$ns" tapline-keys \
  --from-literal=idempotency-secret="$(openssl rand -base64 32 | tr '+/' '-_' | tr -d '=')"
