#!/usr/bin/env bash
# Seeds the fuzz corpus with every statement of the translation corpus (one file each).
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/translate
awk '/^-- case:/{n++; out=sprintf("corpus/translate/case-%04d.sql", n); src=1; next}
     /^-- (flink|mariadb|refused):/{src=0}
     src && !/^-- / {print > out}' ../../conformance/translation/mysql/*.sql ../../conformance/translation/oracle/*.sql
ls corpus/translate | wc -l
