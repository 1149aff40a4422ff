#!/usr/bin/env bash
# Set everything up and score the bundled sample corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p out
.venv/bin/notes-qa score corpora/sample/docs --manifest corpora/sample/manifest.csv --out out/sample.jsonl
.venv/bin/python - <<'PY'
import json
recs = [json.loads(l) for l in open("out/sample.jsonl", encoding="utf-8")]
cases = [r for r in recs if r["schema"] == "notes-qa/case@1"]
print(f"scored {len(cases)} case files -> out/sample.jsonl")
for r in cases:
    s = r["summary"]
    print(f"  {r['case_id']:<28} entries={len(r['entries']):>3}  voice={s['child_voice_coverage']}  "
          f"rationale={s['rationale_coverage']}  copy={s['sibling_copy_share']}  "
          f"plain={s['plain_language']}  findings={len(r['findings'])}")
PY
