#!/usr/bin/env bash
# Installs Tryton 6.0 (Debian 12 packages) for the live connector tests and the dev server.
# Idempotent: packages already installed are left alone. Needs root (or sudo).
# --no-install-recommends matters: without it apt pulls in ~400 packages (desktop client, LaTeX...).
set -euo pipefail

PACKAGES=(
  tryton-server
  tryton-modules-party
  tryton-modules-company
  tryton-modules-currency
  tryton-modules-country
  tryton-modules-product
  tryton-modules-stock
  tryton-modules-sale
  tryton-modules-purchase
  tryton-modules-account
  tryton-modules-account-invoice
  tryton-modules-account-product
  tryton-modules-account-invoice-stock
  tryton-modules-account-asset
  tryton-modules-analytic-account
  tryton-modules-analytic-invoice
  tryton-modules-timesheet
  python3-psycopg2
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "tryton: all ${#PACKAGES[@]} packages already installed"
else
  echo "tryton: installing ${#missing[@]} package(s): ${missing[*]}"
  # Refresh the package index only when apt does not know one of the packages (saves ~10 s otherwise).
  for pkg in "${missing[@]}"; do
    if ! apt-cache show "$pkg" >/dev/null 2>&1; then
      echo "tryton: $pkg unknown to apt, running apt-get update"
      $SUDO apt-get update
      break
    fi
  done
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

# The Debian package may start a system trytond service; tests start their own servers on free ports.
command -v trytond >/dev/null
command -v trytond-admin >/dev/null
echo "tryton: $(trytond --version 2>/dev/null || echo 'trytond installed')"
