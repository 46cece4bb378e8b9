"""Signed checkpoints of the audit log, and receipts a nominee can check without the database.

The hash chain shows an event was edited only to someone who still trusts the chain's
head; whoever can write the database can rewrite every event and recompute every hash,
or cut the tail and move the head back. A **checkpoint** anchors the log outside the
database: the council signs the log's Merkle root (RFC 6962 hashing, :mod:`._merkle`)
with a key kept off the database server and files it with its minutes. Later,
``tdkt audit verify --checkpoint FILE`` shows that the current log still begins with
exactly the events the checkpoint covered (a consistency proof, as Certificate
Transparency's monitors check a log), so a rewrite, a truncation or a forged prefix shows.

**Leaves.** The log is the ``audit_events`` rows in id order (ids 1..N). Leaf ``i``
(0-based) is event ``i + 1``'s chain hash (64 hex characters) decoded to its 32 bytes;
its leaf hash is ``SHA-256(0x00 || those bytes)``.

**A checkpoint** is a small JSON object::

    {"format": "tdkt-checkpoint/1",
     "origin": "<hex>",           # sha256 of the 32 bytes of event 1's hash
     "tree_size": 1200,           # events covered: 1 … 1200
     "root_hash": "<hex>",        # RFC 6962 root over those leaves
     "last_event_hash": "<hex>",  # event 1200's chain hash (what `audit verify` shows)
     "at": "2026-12-01T09:00:00.000000Z",
     "key_id": "<hex>",           # sha256 of the 32 raw bytes of the Ed25519 public key
     "signature": "<base64>"}

The **signed bytes** are the UTF-8 of the canonical JSON (keys sorted, no spaces, see
:mod:`._canonical`) of the object *without* ``signature``: exactly those seven keys. In
Python, with only the standard library and ``cryptography``::

    body = {k: v for k, v in checkpoint.items() if k != "signature"}
    signed = json.dumps(body, sort_keys=True, separators=(",", ":"),
                        ensure_ascii=False).encode()
    public_key.verify(base64.b64decode(checkpoint["signature"]), signed)

``origin`` names the log without any database identifier: it survives a dump and
restore or a move from SQLite to PostgreSQL, and two stores differ in it because their
first events differ (time, actor, content). A log rebuilt from its first event on
has another origin, which is how a forged prefix is named.

**A receipt** (:func:`receipt`) is one decision's ``recorded`` event exactly as the
JSONL export shows it (the event as hashed, its facts and criteria, ``prev_hash``,
``hash``), its leaf index, an RFC 6962 inclusion proof and a signed checkpoint whose
tree holds it. :func:`check_receipt` needs no database: it recomputes the event's hash,
checks the facts and criteria against the sha256 the event names, the proof against the
signed root, and the signature. Keys are never stored in the database: the private key
is a PEM file the council keeps; the public key is published.
"""

from __future__ import annotations

import base64
import binascii
import errno
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import Connection, select

from criteria_engine.characters import shown
from criteria_engine.errors import Location, StoreError, StoreUsageError
from criteria_engine.store import _merkle
from criteria_engine.store._audit import export_lines
from criteria_engine.store._canonical import canonical_json, chain_hash, sha256_text, utc_text
from criteria_engine.store._findings import Finding, first_line
from criteria_engine.store._models import AuditEvent

__all__ = [
    "CHECKPOINT_FORMAT",
    "MAX_PROOF",
    "MAX_RECEIPT_BYTES",
    "RECEIPT_FORMAT",
    "CheckedCheckpoint",
    "CheckpointReport",
    "ReceiptCheck",
    "ReceiptError",
    "check_receipt",
    "checkpoint",
    "generate_key",
    "key_id",
    "load_private_key",
    "load_public_key",
    "log_leaves",
    "read_checkpoint",
    "read_receipt",
    "receipt",
    "verify_checkpoints",
]

CHECKPOINT_FORMAT = "tdkt-checkpoint/1"
RECEIPT_FORMAT = "tdkt-receipt/1"
#: The fields a checkpoint has, ``signature`` apart: all of them signed, no others allowed.
SIGNED_FIELDS = ("at", "format", "key_id", "last_event_hash", "origin", "root_hash",
                 "tree_size")
RECEIPT_FIELDS = ("checkpoint", "event", "format", "inclusion_proof", "leaf_index",
                  "tree_size")
#: Safety limits on what is read from files a stranger may hand over.
MAX_RECEIPT_BYTES = 1_000_000
MAX_CHECKPOINT_BYTES = 64_000
MAX_KEY_BYTES = 64_000
#: An inclusion proof is at most one hash per tree level; 64 levels hold 2**64 events.
MAX_PROOF = 64
MAX_TREE_SIZE = 2**63 - 1
#: Rows fetched per round trip while reading the leaves.
LEAF_BATCH = 50_000

_HEX64 = re.compile(r"[0-9a-f]{64}")


class ReceiptError(StoreError):
    """A receipt or checkpoint that does not prove what it claims (or cannot be read)."""


# --- keys ---


def key_id(public_key: Ed25519PublicKey) -> str:
    """sha256 (hex) of the 32 raw bytes of the public key: what a checkpoint names."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def generate_key(private_path: Path, public_path: Path) -> str:
    """Write a new Ed25519 key pair: the private key as PEM (PKCS #8, mode 0600) and the
    public key as PEM; return the key id. An existing file is never overwritten."""
    for path in (private_path, public_path):
        if path.exists() or path.is_symlink():
            raise StoreUsageError("checkpoint.key_exists", Location(path=str(path)))
    if private_path.resolve() == public_path.resolve():
        raise StoreUsageError("checkpoint.key_same_file", Location(path=str(private_path)))
    private = Ed25519PrivateKey.generate()
    public = private.public_key()
    _write_new(private_path, private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()), mode=0o600)
    try:
        _write_new(public_path, public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo),
            mode=0o644)
    except BaseException:
        private_path.unlink(missing_ok=True)
        raise
    return key_id(public)


def _write_new(path: Path, data: bytes, *, mode: int) -> None:
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        raise StoreUsageError("checkpoint.key_exists", Location(path=str(path))) from None
    except OSError as error:
        raise StoreUsageError("checkpoint.key_unwritable", Location(path=str(path)),
                              reason=_reason(error)) from None
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


def _reason(error: OSError) -> str:
    return errno.errorcode.get(error.errno or 0, type(error).__name__)


def _read_small(path: Path, limit: int, *, what: str) -> bytes:
    """A file's bytes, refused when missing, unreadable or larger than ``limit``."""
    where = Location(path=str(path))
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise StoreUsageError(f"checkpoint.{what}_missing", where) from None
    except OSError as error:
        raise StoreUsageError(f"checkpoint.{what}_unreadable", where,
                              reason=_reason(error)) from None
    if len(data) > limit:
        raise StoreUsageError(f"checkpoint.{what}_too_large", where, limit=limit)
    return data


def read_receipt(path: Path) -> bytes:
    """A receipt file's bytes (at most :data:`MAX_RECEIPT_BYTES`), for :func:`check_receipt`."""
    return _read_small(path, MAX_RECEIPT_BYTES, what="receipt")


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """The Ed25519 private key in a PEM file (unencrypted, as :func:`generate_key` writes)."""
    data = _read_small(path, MAX_KEY_BYTES, what="key")
    where = Location(path=str(path))
    if b"PUBLIC KEY-----" in data and b"PRIVATE KEY-----" not in data:
        raise StoreUsageError("checkpoint.key_is_public", where)
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except TypeError:
        raise StoreUsageError("checkpoint.key_encrypted", where) from None
    except (ValueError, UnsupportedAlgorithm):
        raise StoreUsageError("checkpoint.key_invalid", where) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise StoreUsageError("checkpoint.key_not_ed25519", where, kind=type(key).__name__)
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    """The Ed25519 public key in a PEM file (SubjectPublicKeyInfo)."""
    data = _read_small(path, MAX_KEY_BYTES, what="key")
    where = Location(path=str(path))
    if b"PRIVATE KEY-----" in data:
        raise StoreUsageError("checkpoint.key_is_private", where)
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm):
        raise StoreUsageError("checkpoint.key_invalid", where) from None
    if not isinstance(key, Ed25519PublicKey):
        raise StoreUsageError("checkpoint.key_not_ed25519", where, kind=type(key).__name__)
    return key


# --- the log as leaves ---


@dataclass
class Leaves:
    """The log read as Merkle leaves: leaf hashes in id order, and what was odd on the way."""

    hashes: list[bytes] = field(default_factory=list)
    #: The events' hashes as stored, 32 bytes each in one buffer (a million events take
    #: 32 MB, not a million strings); a malformed one is kept apart, as its text.
    digests: bytearray = field(default_factory=bytearray)
    malformed: dict[int, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    #: The highest event id read (more than ``size`` when events are missing in between).
    last_id: int = 0
    _tree: _merkle.MerkleTree | None = field(default=None, repr=False)

    @property
    def size(self) -> int:
        return len(self.hashes)

    def event_hash(self, index: int) -> str:
        """The stored hash of leaf ``index`` (event ``index + 1`` when there is no gap)."""
        if index in self.malformed:
            return self.malformed[index]
        return self.digests[32 * index:32 * index + 32].hex()

    @property
    def origin(self) -> str | None:
        return _origin(self.event_hash(0)) if self.hashes else None

    @property
    def tree(self) -> _merkle.MerkleTree:
        """The Merkle tree over every leaf, built once (every prefix's root and proof
        are then a few hashes away)."""
        if self._tree is None:
            self._tree = _merkle.MerkleTree(self.hashes)
        return self._tree


def _origin(first_event_hash: str) -> str:
    return hashlib.sha256(_hash_bytes(first_event_hash)).hexdigest()


def _hash_bytes(text: str) -> bytes:
    """A stored chain hash as leaf bytes; a malformed one (an edited row, which verify
    names) is taken as its UTF-8 text, so it is still a leaf and still changes the root."""
    if _HEX64.fullmatch(text):
        return bytes.fromhex(text)
    return text.encode("utf-8", "surrogateescape")


def log_leaves(connection: Connection) -> Leaves:
    """Every event's chain hash in id order, as leaf hashes, streamed in batches.

    Ids must be 1..N without a gap; a gap (a deleted event) is a finding, and the rows
    present are the leaves, so a checkpoint over the deleted event no longer matches.
    """
    leaves = Leaves()
    hashes, digests = leaves.hashes, leaves.digests
    sha, expected = hashlib.sha256, 1
    # The driver's own cursor, in the caller's transaction: a million rows through
    # SQLAlchemy's Row objects cost more than hashing them. On PostgreSQL a named
    # (server-side) cursor, so the rows stream instead of all arriving at once. The
    # store's error handling (``Store._errors``) turns a driver error into a StoreError.
    dbapi: Any = connection.connection.dbapi_connection
    postgres = connection.dialect.name == "postgresql"
    cursor = dbapi.cursor(name="tdkt_merkle_leaves") if postgres else dbapi.cursor()
    try:
        cursor.execute("SELECT id, hash FROM audit_events ORDER BY id")
        while rows := cursor.fetchmany(LEAF_BATCH):
            for event_id, digest in rows:
                if event_id != expected:
                    leaves.findings.append(Finding(
                        "audit_events", event_id, "checkpoint.id_gap", {"expected": expected}))
                expected = event_id + 1
                raw = _stored_bytes(digest)
                if raw is None:
                    text = digest if isinstance(digest, str) else str(digest)
                    leaves.malformed[len(hashes)] = text
                    raw = _hash_bytes(text)
                digests += raw[:32].ljust(32, b"\x00")
                hashes.append(sha(b"\x00" + raw).digest())
    finally:
        cursor.close()
    leaves.last_id = expected - 1
    return leaves


def _stored_bytes(digest: Any) -> bytes | None:
    """The 32 bytes of a well-formed stored hash (64 lowercase hex characters), else None."""
    try:
        raw = bytes.fromhex(digest)
    except (TypeError, ValueError):
        return None
    return raw if len(raw) == 32 and raw.hex() == digest else None


# --- checkpoints ---


def _signed_bytes(body: Mapping[str, Any]) -> bytes:
    return canonical_json({name: body[name] for name in SIGNED_FIELDS}).encode("utf-8")


def sign_head(leaves: Leaves, key: Ed25519PrivateKey, *, size: int | None = None,
              at: datetime | None = None) -> dict[str, Any]:
    """A signed checkpoint over the first ``size`` leaves (all of them by default)."""
    size = leaves.size if size is None else size
    if size == 0 or leaves.origin is None:
        raise StoreError("checkpoint.empty_log")
    body: dict[str, Any] = {
        "format": CHECKPOINT_FORMAT,
        "origin": leaves.origin,
        "tree_size": size,
        "root_hash": _root(leaves, size).hex(),
        "last_event_hash": leaves.event_hash(size - 1),
        "at": utc_text(at or datetime.now(UTC)),
        "key_id": key_id(key.public_key()),
    }
    body["signature"] = base64.b64encode(key.sign(_signed_bytes(body))).decode("ascii")
    return body


def _root(leaves: Leaves, size: int) -> bytes:
    """The root of the first ``size`` leaves: from the kept tree when one was built, else in
    one streaming pass that keeps no levels (a plain checkpoint needs nothing more)."""
    if leaves._tree is None and size == leaves.size:
        return _merkle.tree_root(leaves.hashes)
    return leaves.tree.root(size)


def checkpoint(connection: Connection, key: Ed25519PrivateKey, *,
               at: datetime | None = None) -> dict[str, Any]:
    """The signed head of the whole log as it stands (see the module docstring)."""
    leaves = log_leaves(connection)
    if leaves.findings:
        raise StoreError("checkpoint.log_has_gaps", count=len(leaves.findings),
                         first=leaves.findings[0].row)
    return sign_head(leaves, key, at=at)


def dump_checkpoint(head: Mapping[str, Any]) -> str:
    """A checkpoint as the file a council files: indented JSON, keys sorted."""
    return json.dumps(head, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _strict_json(data: bytes, where: Location, what: str) -> Any:
    """Parse JSON refusing duplicate keys, NaN and deep nesting (as errors, not crashes)."""
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for name, value in items:
            if name in result:
                raise ValueError(f"duplicate key {name!r}")
            result[name] = value
        return result

    def constant(name: str) -> Any:
        raise ValueError(f"{name} is not JSON")

    try:
        return json.loads(data.decode("utf-8"), object_pairs_hook=pairs,
                          parse_constant=constant)
    except UnicodeDecodeError:
        raise ReceiptError(f"checkpoint.{what}_not_json", where, reason="not UTF-8") from None
    except RecursionError:
        raise ReceiptError(f"checkpoint.{what}_not_json", where,
                           reason="nested too deeply") from None
    except ValueError as error:
        raise ReceiptError(f"checkpoint.{what}_not_json", where,
                           reason=str(error).splitlines()[0][:160]) from None


def _check_head(head: Any, where: Location) -> dict[str, Any]:
    """A parsed checkpoint, its shape checked (not its signature)."""
    if not isinstance(head, dict) or set(head) != {*SIGNED_FIELDS, "signature"}:
        raise ReceiptError("checkpoint.head_fields", where, fields=_names(head),
                           expected=", ".join((*SIGNED_FIELDS, "signature")))
    if head["format"] != CHECKPOINT_FORMAT:
        raise ReceiptError("checkpoint.head_format", where, found=_quoted(head["format"]),
                           expected=CHECKPOINT_FORMAT)
    size = head["tree_size"]
    if type(size) is not int or not 0 < size <= MAX_TREE_SIZE:
        raise ReceiptError("checkpoint.head_value", where, field="tree_size")
    for name in ("origin", "root_hash", "last_event_hash", "key_id"):
        if not isinstance(head[name], str) or not _HEX64.fullmatch(head[name]):
            raise ReceiptError("checkpoint.head_value", where, field=name)
    if not isinstance(head["at"], str) or len(head["at"]) > 40:
        raise ReceiptError("checkpoint.head_value", where, field="at")
    if not isinstance(head["signature"], str) or len(head["signature"]) > 200:
        raise ReceiptError("checkpoint.head_value", where, field="signature")
    return head


def _quoted(value: Any) -> str:
    """A stranger's value in a message: short, and with no character that could make the
    terminal show something else."""
    return shown(str(value)[:40])


def _names(value: Any) -> str:
    """The keys a stranger's object has, for a message (at most ten, each shortened)."""
    names = sorted(value)[:10] if isinstance(value, dict) else []
    return ", ".join(_quoted(name) for name in names) or "-"


def read_checkpoint(path: Path) -> dict[str, Any]:
    """A checkpoint file, parsed and its shape checked (its signature is checked apart)."""
    where = Location(path=str(path))
    data = _read_small(path, MAX_CHECKPOINT_BYTES, what="checkpoint")
    return _check_head(_strict_json(data, where, "checkpoint"), where)


def signature_problem(head: Mapping[str, Any], public_key: Ed25519PublicKey
                      ) -> tuple[str, dict[str, Any]] | None:
    """Why ``head``'s signature does not hold under ``public_key`` (key and params), or None."""
    expected = key_id(public_key)
    if head["key_id"] != expected:
        return "checkpoint.other_key", {"found": head["key_id"][:16], "expected": expected[:16]}
    try:
        signature = base64.b64decode(head["signature"], validate=True)
        public_key.verify(signature, _signed_bytes(head))
    except (binascii.Error, ValueError, InvalidSignature):
        return "checkpoint.bad_signature", {}
    return None


@dataclass(frozen=True, slots=True)
class CheckedCheckpoint:
    """A checkpoint the current log was shown to extend."""

    file: str
    tree_size: int
    at: str


@dataclass
class CheckpointReport:
    """What ``verify --checkpoint`` found: the log's size, the checkpoints that hold, and a
    finding for each that does not (or for an id gap in the log)."""

    events: int = 0
    checked: list[CheckedCheckpoint] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings


def verify_checkpoints(connection: Connection, heads: Sequence[tuple[str, Any]],
                       public_key: Ed25519PublicKey) -> CheckpointReport:
    """Show the current log extends every checkpoint in ``heads`` (``(file name, parsed
    JSON)`` pairs), as a third party would: the signature, the origin, the size (a log
    shorter than a checkpoint was truncated), the root of the first ``tree_size`` events,
    and an RFC 6962 consistency proof from the checkpoint's tree to the current one,
    checked with RFC 9162's algorithm against both roots."""
    leaves = log_leaves(connection)
    report = CheckpointReport(events=leaves.size, findings=list(leaves.findings))
    current_root = leaves.tree.root()
    for name, parsed in heads:
        problem = _checkpoint_problem(name, parsed, leaves, current_root, public_key)
        if problem is None:
            report.checked.append(CheckedCheckpoint(name, parsed["tree_size"], parsed["at"]))
        else:
            report.findings.append(problem)
    return report


def _checkpoint_problem(name: str, parsed: Any, leaves: Leaves, current_root: bytes,
                        public_key: Ed25519PublicKey) -> Finding | None:
    def found(key: str, **params: Any) -> Finding:
        return Finding("checkpoint", name, key, params)

    try:
        if isinstance(parsed, ReceiptError):
            raise parsed
        head = _check_head(parsed, Location())
    except ReceiptError as error:
        return found("checkpoint.malformed", problem=first_line(error))
    signature = signature_problem(head, public_key)
    if signature is not None:
        return found(signature[0], **signature[1])
    size, events = head["tree_size"], leaves.size
    if leaves.origin != head["origin"]:
        return found("checkpoint.other_origin", size=size)
    if events < size and leaves.last_id < size:
        return found("checkpoint.truncated", size=size, events=events, at=head["at"])
    if events < size:  # events missing in between: the prefix is not what was signed
        return found("checkpoint.rewritten", size=size, at=head["at"])
    if leaves.tree.root(size).hex() != head["root_hash"]:
        return found("checkpoint.rewritten", size=size, at=head["at"])
    if leaves.event_hash(size - 1) != head["last_event_hash"]:
        return found("checkpoint.last_event", size=size)
    proof = leaves.tree.consistency_proof(size)
    if not _merkle.verify_consistency(size, bytes.fromhex(head["root_hash"]), events,
                                      current_root, proof):
        return found("checkpoint.inconsistent", size=size, events=events)
    return None


# --- receipts ---


def _recorded_event(connection: Connection, decision_id: int) -> int:
    table = AuditEvent.__table__
    event_id = connection.execute(
        select(table.c.id).where(table.c.decision_id == decision_id,
                                 table.c.kind == "recorded").order_by(table.c.id).limit(1)
    ).scalar()
    if event_id is None:
        raise StoreError("store.decision_not_found", decision_id=decision_id)
    return int(event_id)


def receipt(connection: Connection, decision_id: int, *, key: Ed25519PrivateKey | None = None,
            head: Mapping[str, Any] | None = None, head_name: str = "",
            at: datetime | None = None) -> dict[str, Any]:
    """A receipt for one decision: its ``recorded`` event as exported, its inclusion
    proof, and a signed checkpoint holding it: made now with ``key``, or ``head`` (a
    checkpoint read from a file) when the current log still extends it."""
    event_id = _recorded_event(connection, decision_id)
    leaves = log_leaves(connection)
    index = event_id - 1
    if leaves.findings or index >= leaves.size:
        raise StoreError("checkpoint.log_has_gaps", count=len(leaves.findings),
                         first=leaves.findings[0].row if leaves.findings else event_id)
    tree = leaves.tree
    if head is None:
        if key is None:
            raise StoreUsageError("checkpoint.receipt_needs_head")
        head = sign_head(leaves, key, at=at)
    else:
        where = Location(path=head_name or None)
        size = head["tree_size"]
        if size <= index:
            raise StoreError("checkpoint.receipt_after_head", where, event_id=event_id,
                             size=size)
        if size > leaves.size or leaves.origin != head["origin"] or \
                tree.root(size).hex() != head["root_hash"]:
            raise StoreError("checkpoint.receipt_head_mismatch", where, size=size)
    size = head["tree_size"]
    proof = tree.inclusion_proof(index, size)
    (line,) = export_lines(connection, [event_id])
    # As the JSONL export writes it: decimals as their exact strings, so what a stranger
    # parses is what was hashed.
    exported = json.loads(canonical_json(line))
    return {"format": RECEIPT_FORMAT, "event": exported, "leaf_index": index, "tree_size": size,
            "inclusion_proof": [p.hex() for p in proof], "checkpoint": dict(head)}


def dump_receipt(data: Mapping[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


@dataclass(frozen=True, slots=True)
class ReceiptCheck:
    """What a receipt proved: this event, as hashed, is event ``event_id`` of the log whose
    first ``tree_size`` events the holder of key ``key_id`` signed at ``signed_at``."""

    event_id: int
    event_hash: str
    decision_id: Any
    nominee_id: Any
    name: Any
    period: Any
    outcome: Any
    leaf_index: int
    tree_size: int
    root_hash: str
    signed_at: str
    key_id: str
    #: The parts of the event checked against the sha256 it names (facts, criteria, …).
    parts: tuple[str, ...]
    #: Parts the receipt carries that the event names no sha256 for: not proven.
    unchecked: tuple[str, ...] = ()


def check_receipt(data: bytes, public_key: Ed25519PublicKey, *, name: str = "") -> ReceiptCheck:
    """Check a receipt with nothing but its bytes and the published public key.

    Raises :class:`ReceiptError` naming the first thing that does not hold.
    """
    where = Location(path=name or None)

    def refuse(key: str, **params: Any) -> ReceiptError:
        return ReceiptError(key, where, **params)

    if len(data) > MAX_RECEIPT_BYTES:
        raise refuse("checkpoint.receipt_too_large", limit=MAX_RECEIPT_BYTES)
    parsed = _strict_json(data, where, "receipt")
    if not isinstance(parsed, dict) or set(parsed) != set(RECEIPT_FIELDS):
        raise refuse("checkpoint.receipt_fields", fields=_names(parsed),
                     expected=", ".join(RECEIPT_FIELDS))
    if parsed["format"] != RECEIPT_FORMAT:
        raise refuse("checkpoint.receipt_format", found=_quoted(parsed["format"]),
                     expected=RECEIPT_FORMAT)
    head = _check_head(parsed["checkpoint"], where)
    index, size, proof_hex = parsed["leaf_index"], parsed["tree_size"], parsed["inclusion_proof"]
    if type(index) is not int or type(size) is not int or not 0 <= index < size \
            or size != head["tree_size"]:
        raise refuse("checkpoint.receipt_position")
    if not isinstance(proof_hex, list) or len(proof_hex) > MAX_PROOF or not all(
            isinstance(p, str) and _HEX64.fullmatch(p) for p in proof_hex):
        raise refuse("checkpoint.receipt_proof_shape", limit=MAX_PROOF)
    line = parsed["event"]
    event, event_hash = _checked_event(line, refuse)
    if event.get("id") != index + 1:
        raise refuse("checkpoint.receipt_position")
    decision = event.get("decision")
    if event.get("kind") != "recorded" or not isinstance(decision, dict):
        raise refuse("checkpoint.receipt_not_recorded")
    parts, unchecked = _checked_parts(line, decision, refuse)
    signature = signature_problem(head, public_key)
    if signature is not None:
        raise refuse(signature[0], **signature[1])
    proof = [bytes.fromhex(p) for p in proof_hex]
    if not _merkle.verify_inclusion(_merkle.leaf_hash(bytes.fromhex(event_hash)), index, size,
                                    proof, bytes.fromhex(head["root_hash"])):
        raise refuse("checkpoint.receipt_not_included", size=size)
    return ReceiptCheck(
        event_id=index + 1, event_hash=event_hash, decision_id=event.get("decision_id"),
        nominee_id=decision.get("nominee_id"), name=decision.get("name"),
        period=decision.get("period"), outcome=decision.get("outcome"), leaf_index=index,
        tree_size=size, root_hash=head["root_hash"], signed_at=head["at"],
        key_id=head["key_id"], parts=parts, unchecked=unchecked)


def _checked_event(line: Any, refuse: Any) -> tuple[dict[str, Any], str]:
    """The event of a receipt's export line, its chain hash recomputed."""
    if not isinstance(line, dict) or not isinstance(line.get("event"), dict):
        raise refuse("checkpoint.receipt_event_shape")
    prev_hash, event_hash = line.get("prev_hash"), line.get("hash")
    if not (isinstance(prev_hash, str) and _HEX64.fullmatch(prev_hash)
            and isinstance(event_hash, str) and _HEX64.fullmatch(event_hash)):
        raise refuse("checkpoint.receipt_event_shape")
    event: dict[str, Any] = line["event"]
    try:
        recomputed = chain_hash(prev_hash, canonical_json(event))
    except (TypeError, ValueError, RecursionError):
        raise refuse("checkpoint.receipt_event_shape") from None
    if recomputed != event_hash:
        raise refuse("checkpoint.receipt_event_hash", found=recomputed[:16],
                     expected=event_hash[:16])
    return event, event_hash


def _checked_parts(line: Mapping[str, Any], decision: Mapping[str, Any], refuse: Any
                   ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Every part the line carries beside the event (facts, criteria, …) checked against
    the ``<part>_sha256`` the decision names; facts and criteria must be there. Returns the
    parts checked and those the decision names no sha256 for (shown as not proven)."""
    for required in ("facts", "criteria"):
        if required not in line or f"{required}_sha256" not in decision:
            raise refuse("checkpoint.receipt_part_missing", part=required)
    checked, unchecked = [], []
    for part in sorted(set(line) - {"event", "prev_hash", "hash"}):
        named = decision.get(f"{part}_sha256")
        if named is None:
            unchecked.append(part)
            continue
        try:
            digest = sha256_text(canonical_json(line[part]))
        except (TypeError, ValueError, RecursionError):
            raise refuse("checkpoint.receipt_part_hash", part=part) from None
        if digest != named:
            raise refuse("checkpoint.receipt_part_hash", part=part)
        checked.append(part)
    return tuple(checked), tuple(unchecked)


def iter_heads(paths: Iterable[Path]) -> Iterator[tuple[str, Any]]:
    """Each checkpoint file as ``(name, parsed JSON)``: a missing or unreadable file is an
    error (a usage mistake); content that is not a checkpoint is left for
    :func:`verify_checkpoints` to report as a finding."""
    for path in paths:
        data = _read_small(path, MAX_CHECKPOINT_BYTES, what="checkpoint")
        try:
            parsed: Any = _strict_json(data, Location(), "checkpoint")
        except ReceiptError as error:
            parsed = error
        yield str(path), parsed
