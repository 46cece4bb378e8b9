"""Check a `tdkt audit export` (JSON Lines) with the standard library alone, no tdkt.

    python3 docs/verify_export.py audit.jsonl
Exit 0 printing the event count and the chain's last hash (compare it with the head
that `tdkt audit verify` printed); exit 1 naming the first line that does not check.
"""
import hashlib
import json
import sys
import unicodedata


def canonical(value):  # keys sorted, no spaces, UTF-8 (not \u escapes), strings in NFC
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return unicodedata.normalize("NFC", text)


def sha256(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def named(row, event):  # the parts an event names by sha256: (the part, its sha256)
    if event["kind"] == "history_imported":  # an import of title history: its rows
        return [(row["history"], event["history"]["rows_sha256"])]
    decision = event["decision"] if event["kind"] == "recorded" else {}
    return [(row[part], decision[f"{part}_sha256"]) for part in ("facts", "criteria", "context")
            if f"{part}_sha256" in decision]  # context: only for a decision that has one


previous, count = "0" * 64, 0
with open(sys.argv[1], encoding="utf-8") as export:  # one event per line, in chain order
    for count, line in enumerate(export, 1):
        row = json.loads(line)
        event, problem = row["event"], None
        if event["id"] != count or row["prev_hash"] != previous:
            problem = "an event before this one was deleted, inserted or reordered"
        elif sha256(f"{previous}\n{canonical(event)}") != row["hash"]:
            problem = "the event does not match its hash"
        elif any(sha256(canonical(part)) != digest for part, digest in named(row, event)):
            problem = "the facts or criteria do not match their sha256 in the event (or rows)"
        if problem:
            sys.exit(f"{sys.argv[1]}:{count}: event {event['id']}: {problem}")
        previous = row["hash"]
print(f"ok: {count} events, last hash {previous}")
