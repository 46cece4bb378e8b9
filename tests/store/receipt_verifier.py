"""An independent receipt checker: what a nominee's lawyer could write in an afternoon.

It does not import ``criteria_engine`` (a test reads this file's imports to hold it to
that): only the standard library and ``cryptography`` for Ed25519. It follows the
formats as the README and ``criteria_engine/store/_checkpoint.py``'s docstring describe
them, so if tdkt ever drifted from its own documentation, this would disagree.

    python tests/store/receipt_verifier.py receipt.json public.pem
"""

from __future__ import annotations

import base64
import hashlib
import json
import sys
import unicodedata
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key


def canonical(value: Any) -> str:
    """Keys sorted, no spaces, UTF-8 (no \\u escapes), strings in NFC."""
    def nfc(item: Any) -> Any:
        if isinstance(item, str):
            return unicodedata.normalize("NFC", item)
        if isinstance(item, dict):
            return {nfc(k): nfc(v) for k, v in item.items()}
        if isinstance(item, list):
            return [nfc(v) for v in item]
        return item
    return json.dumps(nfc(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check(receipt: dict[str, Any], public_key: Ed25519PublicKey) -> str:
    """Return what the receipt proves, or raise ``ValueError`` saying why it does not."""
    line, head = receipt["event"], receipt["checkpoint"]
    event = line["event"]
    # 1. the event is exactly what was hashed into the chain
    recomputed = sha256_hex(line["prev_hash"] + "\n" + canonical(event))
    if recomputed != line["hash"]:
        raise ValueError("event hash does not match its content")
    decision = event["decision"]
    for part in ("facts", "criteria"):
        if sha256_hex(canonical(line[part])) != decision[f"{part}_sha256"]:
            raise ValueError(f"{part} do not match the event")
    # 2. the event's hash is leaf `index` of the signed tree (RFC 9162 2.1.3.2)
    index, size = receipt["leaf_index"], receipt["tree_size"]
    if size != head["tree_size"] or event["id"] != index + 1 or not 0 <= index < size:
        raise ValueError("position does not match")
    r = hashlib.sha256(b"\x00" + bytes.fromhex(line["hash"])).digest()
    fn, sn = index, size - 1
    for p_hex in receipt["inclusion_proof"]:
        p = bytes.fromhex(p_hex)
        if sn == 0:
            raise ValueError("proof too long")
        if fn % 2 == 1 or fn == sn:
            r = hashlib.sha256(b"\x01" + p + r).digest()
            while fn % 2 == 0 and fn != 0:
                fn, sn = fn // 2, sn // 2
        else:
            r = hashlib.sha256(b"\x01" + r + p).digest()
        fn, sn = fn // 2, sn // 2
    if sn != 0 or r.hex() != head["root_hash"]:
        raise ValueError("inclusion proof does not reach the signed root")
    # 3. the root was signed by the published key
    signed = {k: v for k, v in head.items() if k != "signature"}
    public_key.verify(base64.b64decode(head["signature"]), canonical(signed).encode("utf-8"))
    return (f"event {event['id']} (decision {event['decision_id']}, "
            f"{decision.get('nominee_id')}: {decision.get('outcome')}) is in the log of "
            f"{size} events signed at {head['at']}")


def main(receipt_path: str, key_path: str) -> int:
    with open(key_path, "rb") as handle:
        key = load_pem_public_key(handle.read())
    assert isinstance(key, Ed25519PublicKey)
    with open(receipt_path, encoding="utf-8") as handle:
        print(check(json.load(handle), key))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
