"""Signed checkpoints and receipts: what only an anchor outside the database can show.

Whoever can write the database can rewrite an event and recompute every hash after it,
or cut the tail and move the head back; the chain alone then looks intact. A checkpoint
(the log's Merkle root, signed with a key the database never sees) catches both, and a
forged prefix too. A receipt lets a nominee prove their decision is in the signed log
with no database at all, and an independent verifier (tests/store/receipt_verifier.py)
agrees. Every test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import ast
import base64
import io
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from sqlalchemy import text

from criteria_engine.errors import StoreError, StoreUsageError
from criteria_engine.store import (
    GENESIS_HASH,
    ReceiptError,
    Store,
    canonical_json,
    check_receipt,
    checkpoint,
    dump_checkpoint,
    dump_receipt,
    generate_key,
    load_private_key,
    load_public_key,
    receipt,
    verify,
    verify_checkpoints,
)
from criteria_engine.store._canonical import chain_hash
from criteria_engine.store._checkpoint import MAX_PROOF, MAX_RECEIPT_BYTES
from tests.store import receipt_verifier
from tests.store.conftest import Raw, report_for, run

Keys = tuple[Path, Path]


@pytest.fixture
def keys(tmp_path: Path) -> Keys:
    private, public = tmp_path / "council.pem", tmp_path / "council.pub"
    generate_key(private, public)
    return private, public


def private_key(keys: Keys) -> Ed25519PrivateKey:
    return load_private_key(keys[0])


def public_key(keys: Keys) -> Ed25519PublicKey:
    return load_public_key(keys[1])


def write_checkpoint(db: str, keys: Keys, path: Path) -> dict[str, Any]:
    head = checkpoint(db, private_key(keys))
    path.write_text(dump_checkpoint(head), encoding="utf-8")
    return head


def findings(db: str, files: list[Path], keys: Keys) -> set[tuple[str, str]]:
    report = verify_checkpoints(db, files, public_key(keys))
    return {(str(f.row), f.key) for f in report.findings}


def append_more(db: str) -> None:
    with Store.open(db) as store:
        store.annotate(1, note="Bổ sung sau điểm kiểm chứng", actor="thư ký")
        store.record_report(report_for("chien-si-thi-dua-co-so"), actor="lan", command="test")


def exported(db: str) -> list[dict[str, Any]]:
    lines = io.StringIO()
    with Store.open(db) as store:
        store.export(lines)
    return [json.loads(line) for line in lines.getvalue().splitlines()]


def rewrite_and_rehash(raw: Raw, db: str, event_id: int, column: str, value: str) -> None:
    """The attacker who knows the algorithm: edit one event's column, recompute the hash of
    it and of every later event, and move the head to the new last hash."""
    rows = exported(db)
    previous = rows[event_id - 2]["hash"] if event_id > 1 else GENESIS_HASH
    with raw.tampering() as sql:
        sql.execute(text(f"UPDATE audit_events SET {column} = :v WHERE id = :i"),
                    {"v": value, "i": event_id})
        for row in rows[event_id - 1:]:
            event = row["event"]
            if event["id"] == event_id:
                event = {**event, column: value}
            digest = chain_hash(previous, canonical_json(event))
            sql.execute(text("UPDATE audit_events SET prev_hash = :p, hash = :h WHERE id = :i"),
                        {"p": previous, "h": digest, "i": event["id"]})
            previous = digest
        sql.execute(text("UPDATE audit_chain_head SET last_hash = :h WHERE id = 1"),
                    {"h": previous})


# --- checkpoints ---


def test_a_checkpoint_is_a_small_signed_document(recorded: str, keys: Keys) -> None:
    head = checkpoint(recorded, private_key(keys))
    events = verify(recorded).events
    assert set(head) == {"format", "origin", "tree_size", "root_hash", "last_event_hash", "at",
                         "key_id", "signature"}
    assert head["format"] == "tdkt-checkpoint/1"
    assert head["tree_size"] == events
    assert head["last_event_hash"] == verify(recorded).head_hash
    assert len(dump_checkpoint(head)) < 1000


def test_the_signed_bytes_are_as_documented(recorded: str, keys: Keys) -> None:
    """An outsider with the docstring's three lines can check the signature."""
    head = checkpoint(recorded, private_key(keys))
    body = {k: v for k, v in head.items() if k != "signature"}
    signed = json.dumps(body, sort_keys=True, separators=(",", ":"),
                        ensure_ascii=False).encode()
    public_key(keys).verify(base64.b64decode(head["signature"]), signed)


def test_checkpoint_then_append_verifies(recorded: str, keys: Keys, tmp_path: Path) -> None:
    first = tmp_path / "cp1.json"
    write_checkpoint(recorded, keys, first)
    append_more(recorded)
    second = tmp_path / "cp2.json"
    write_checkpoint(recorded, keys, second)
    append_more(recorded)
    report = verify_checkpoints(recorded, [first, second], public_key(keys))
    assert report.ok, [f.render("en") for f in report.findings]
    assert [c.file for c in report.checked] == [str(first), str(second)]
    assert report.events > report.checked[1].tree_size > report.checked[0].tree_size


def test_a_rewritten_and_rehashed_event_is_caught(recorded: str, raw: Raw, keys: Keys,
                                                  tmp_path: Path) -> None:
    """The chain is recomputed and the head moved, so nothing in the database disagrees;
    only the signed root does."""
    cp = tmp_path / "cp.json"
    size = write_checkpoint(recorded, keys, cp)["tree_size"]
    append_more(recorded)
    note = raw.scalar("SELECT id FROM audit_events WHERE kind = 'annotated' ORDER BY id")
    assert note <= size
    rewrite_and_rehash(raw, recorded, note, "reason", "Không có gì")
    assert not any(f.table == "audit_events" and f.key == "audit.event_hash"
                   for f in verify(recorded).findings)
    assert findings(recorded, [cp], keys) == {(str(cp), "checkpoint.rewritten")}


def test_a_cut_tail_with_the_head_moved_back_is_caught(recorded: str, raw: Raw, keys: Keys,
                                                      tmp_path: Path) -> None:
    cp = tmp_path / "cp.json"
    size = write_checkpoint(recorded, keys, cp)["tree_size"]
    kept = raw.scalar("SELECT hash FROM audit_events WHERE id = :i", i=size - 2)
    with raw.tampering() as sql:
        sql.execute(text("DELETE FROM audit_events WHERE id > :i"), {"i": size - 2})
        sql.execute(text("UPDATE audit_chain_head SET last_event_id = :i, last_hash = :h "
                         "WHERE id = 1"), {"i": size - 2, "h": kept})
    assert findings(recorded, [cp], keys) == {(str(cp), "checkpoint.truncated")}
    text_en = verify_checkpoints(recorded, [cp], public_key(keys)).findings[0].render("en")
    assert f"only {size - 2} events" in text_en and f"has {size}" in text_en


def test_a_forged_prefix_is_caught(recorded: str, raw: Raw, keys: Keys,
                                   tmp_path: Path) -> None:
    """A log rebuilt from its first event: another origin than the one signed."""
    cp = tmp_path / "cp.json"
    write_checkpoint(recorded, keys, cp)
    rewrite_and_rehash(raw, recorded, 1, "actor", "người khác")
    assert findings(recorded, [cp], keys) == {(str(cp), "checkpoint.other_origin")}


def test_a_deleted_event_is_a_gap_and_breaks_the_root(recorded: str, raw: Raw, keys: Keys,
                                                      tmp_path: Path) -> None:
    cp = tmp_path / "cp.json"
    write_checkpoint(recorded, keys, cp)
    with raw.tampering() as sql:
        sql.execute(text("DELETE FROM audit_events WHERE id = 3"))
    assert findings(recorded, [cp], keys) == {("4", "checkpoint.id_gap"),
                                              (str(cp), "checkpoint.rewritten")}
    with pytest.raises(StoreError) as error:
        checkpoint(recorded, private_key(keys))
    assert error.value.key == "checkpoint.log_has_gaps"


def test_an_edited_checkpoint_or_another_key_is_refused(recorded: str, keys: Keys,
                                                        tmp_path: Path) -> None:
    cp = tmp_path / "cp.json"
    head = write_checkpoint(recorded, keys, cp)
    edited = tmp_path / "edited.json"
    edited.write_text(dump_checkpoint({**head, "tree_size": head["tree_size"] - 1}))
    other = tmp_path / "other.json"
    stranger = Ed25519PrivateKey.generate()
    with Store.open(recorded) as store, store._reading() as connection:
        from criteria_engine.store import _checkpoint
        other.write_text(dump_checkpoint(_checkpoint.checkpoint(connection, stranger)))
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "tdkt-checkpoint/1", "format": "x"}')
    assert findings(recorded, [cp, edited, other, broken], keys) == {
        (str(edited), "checkpoint.bad_signature"), (str(other), "checkpoint.other_key"),
        (str(broken), "checkpoint.malformed")}
    with pytest.raises(StoreUsageError) as missing:
        verify_checkpoints(recorded, [tmp_path / "nowhere.json"], public_key(keys))
    assert missing.value.key == "checkpoint.checkpoint_missing"


def test_an_empty_store_has_nothing_to_sign(db: str, keys: Keys) -> None:
    Store.open(db).close()
    with pytest.raises(StoreError) as error:
        checkpoint(db, private_key(keys))
    assert error.value.key == "checkpoint.empty_log"


# --- keys ---


def test_keygen_writes_an_owner_only_private_key_and_never_overwrites(tmp_path: Path) -> None:
    private, public = tmp_path / "k.pem", tmp_path / "k.pub"
    key_id = generate_key(private, public)
    assert len(key_id) == 64
    assert private.stat().st_mode & 0o777 == 0o600
    assert b"PRIVATE KEY" in private.read_bytes() and b"PUBLIC KEY" in public.read_bytes()
    before = private.read_bytes()
    with pytest.raises(StoreUsageError) as error:
        generate_key(private, tmp_path / "other.pub")
    assert error.value.key == "checkpoint.key_exists"
    assert private.read_bytes() == before and not (tmp_path / "other.pub").exists()


def test_key_files_that_cannot_be_used_are_named(tmp_path: Path, keys: Keys) -> None:
    encrypted = tmp_path / "encrypted.pem"
    encrypted.write_bytes(Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"secret")))
    ecdsa = tmp_path / "ec.pem"
    ecdsa.write_bytes(ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not a key")
    cases: list[tuple[Callable[[Path], Any], Path, str]] = [
        (load_private_key, tmp_path / "missing.pem", "checkpoint.key_missing"),
        (load_private_key, encrypted, "checkpoint.key_encrypted"),
        (load_private_key, ecdsa, "checkpoint.key_not_ed25519"),
        (load_private_key, garbage, "checkpoint.key_invalid"),
        (load_private_key, keys[1], "checkpoint.key_is_public"),
        (load_public_key, keys[0], "checkpoint.key_is_private"),
        (load_public_key, garbage, "checkpoint.key_invalid"),
    ]
    for load, path, key in cases:
        with pytest.raises(StoreUsageError) as error:
            load(path)
        assert error.value.key == key, path
        assert str(path) in error.value.render("en")


# --- receipts ---


def make_receipt(db: str, keys: Keys, decision_id: int = 2) -> dict[str, Any]:
    return receipt(db, decision_id, key=private_key(keys))


def checked(document: dict[str, Any], keys: Keys) -> Any:
    return check_receipt(dump_receipt(document).encode(), public_key(keys))


def test_a_receipt_verifies_offline(recorded: str, keys: Keys) -> None:
    document = make_receipt(recorded, keys)
    result = checked(document, keys)
    assert result.decision_id == 2 and result.event_id == document["leaf_index"] + 1
    assert result.tree_size == verify(recorded).events
    assert {"facts", "criteria"} <= set(result.parts)
    assert result.outcome == document["event"]["event"]["decision"]["outcome"]
    assert len(dump_receipt(document)) < 20_000


def test_a_receipt_from_a_published_checkpoint(recorded: str, keys: Keys,
                                               tmp_path: Path) -> None:
    cp = tmp_path / "cp.json"
    head = write_checkpoint(recorded, keys, cp)
    append_more(recorded)
    document = receipt(recorded, 2, checkpoint_file=cp)
    assert document["checkpoint"] == head and document["tree_size"] == head["tree_size"]
    assert checked(document, keys).signed_at == head["at"]
    later = int(verify(recorded).decisions)
    with pytest.raises(StoreError) as error:
        receipt(recorded, later, checkpoint_file=cp)
    assert error.value.key == "checkpoint.receipt_after_head"


def _tampered(document: dict[str, Any], change: Callable[[dict[str, Any]], None]
              ) -> dict[str, Any]:
    copy: dict[str, Any] = json.loads(json.dumps(document))
    change(copy)
    return copy


def _outcome(d: dict[str, Any]) -> None:
    decision = d["event"]["event"]["decision"]
    decision["outcome"] = "khong_dat" if decision["outcome"] == "dat" else "dat"


def _facts(d: dict[str, Any]) -> None:
    d["event"]["facts"]["__forged"] = 1


def _proof(d: dict[str, Any]) -> None:
    d["inclusion_proof"][0] = "0" * 64


def _root(d: dict[str, Any]) -> None:
    d["checkpoint"]["root_hash"] = "1" * 64


def _long_proof(d: dict[str, Any]) -> None:
    d["inclusion_proof"] = ["0" * 64] * (MAX_PROOF + 1)


def _other_position(d: dict[str, Any]) -> None:
    d["leaf_index"] += 1


@pytest.mark.parametrize(("change", "key"), [
    (_outcome, "checkpoint.receipt_event_hash"),
    (_facts, "checkpoint.receipt_part_hash"),
    (_proof, "checkpoint.receipt_not_included"),
    (_root, "checkpoint.bad_signature"),
    (_long_proof, "checkpoint.receipt_proof_shape"),
    (_other_position, "checkpoint.receipt_position"),
])
def test_a_tampered_receipt_is_refused(recorded: str, keys: Keys,
                                       change: Callable[[dict[str, Any]], None],
                                       key: str) -> None:
    document = _tampered(make_receipt(recorded, keys), change)
    with pytest.raises(ReceiptError) as error:
        checked(document, keys)
    assert error.value.key == key


def test_a_receipt_signed_by_another_key_is_refused(recorded: str, keys: Keys,
                                                    tmp_path: Path) -> None:
    impostor = tmp_path / "impostor.pem"
    generate_key(impostor, tmp_path / "impostor.pub")
    document = receipt(recorded, 2, key=load_private_key(impostor))
    with pytest.raises(ReceiptError) as error:
        checked(document, keys)
    assert error.value.key == "checkpoint.other_key"
    # the impostor names the council's key id: the signature itself then fails
    document["checkpoint"]["key_id"] = make_receipt(recorded, keys)["checkpoint"]["key_id"]
    with pytest.raises(ReceiptError) as error:
        checked(document, keys)
    assert error.value.key == "checkpoint.bad_signature"


@pytest.mark.parametrize(("data", "key"), [
    (b"x" * (MAX_RECEIPT_BYTES + 1), "checkpoint.receipt_too_large"),
    (b"[" * 100_000, "checkpoint.receipt_not_json"),
    (b'{"format": 1, "format": 2}', "checkpoint.receipt_not_json"),
    (b"NaN", "checkpoint.receipt_not_json"),
    (b"\xff", "checkpoint.receipt_not_json"),
    (b"[]", "checkpoint.receipt_fields"),
])
def test_a_receipt_that_is_not_one_is_refused_with_a_reason(data: bytes, key: str) -> None:
    with pytest.raises(ReceiptError) as error:
        check_receipt(data, Ed25519PrivateKey.generate().public_key())
    assert error.value.key == key


def test_the_independent_verifier_imports_nothing_of_tdkt() -> None:
    source = Path(receipt_verifier.__file__).read_text(encoding="utf-8")
    modules: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module.split(".")[0])
    assert modules <= {"__future__", "base64", "hashlib", "json", "sys", "unicodedata",
                       "typing", "cryptography"}, modules


# --- the command line ---




def test_cli_keygen_checkpoint_and_verify(runner: CliRunner, recorded: str, raw: Raw,
                                          tmp_path: Path) -> None:
    private, public = str(tmp_path / "k.pem"), str(tmp_path / "k.pub")
    made = run(runner, "audit", "keygen", "--private", private, "--public", public,
               "--lang", "en")
    assert made.exit_code == 0, made.output
    assert "Private key" in made.stdout and oct(os.stat(private).st_mode & 0o777) == "0o600"
    again = run(runner, "audit", "keygen", "--private", private, "--public", public)
    assert again.exit_code == 2 and "tdkt không ghi đè một khoá" in again.stderr

    shown = run(runner, "audit", "checkpoint", "--key", private, "--db", recorded)
    assert shown.exit_code == 0 and json.loads(shown.stdout)["tree_size"] > 0
    cp = str(tmp_path / "cp.json")
    written = run(runner, "audit", "checkpoint", "--key", private, "--db", recorded, "-o", cp,
                  "--lang", "en")
    assert written.exit_code == 0 and "Wrote the checkpoint" in written.stderr
    append_more(recorded)

    ok = run(runner, "audit", "verify", "--db", recorded, "--checkpoint", cp,
             "--pubkey", public, "--lang", "en")
    assert ok.exit_code == 0, ok.output
    assert "consistency proof checked" in ok.stdout and "Intact" in ok.stdout
    as_json = run(runner, "audit", "verify", "--db", recorded, "--checkpoint", cp,
                  "--pubkey", public, "--json")
    assert json.loads(as_json.stdout)["checkpoints"][0]["file"] == cp

    no_key = run(runner, "audit", "verify", "--db", recorded, "--checkpoint", cp)
    assert no_key.exit_code == 2 and "--pubkey" in no_key.stderr

    note = raw.scalar("SELECT id FROM audit_events WHERE kind = 'annotated' ORDER BY id")
    rewrite_and_rehash(raw, recorded, note, "reason", "Không có gì")
    caught = run(runner, "audit", "verify", "--db", recorded, "--checkpoint", cp,
                 "--pubkey", public, "--lang", "en")
    assert caught.exit_code == 1
    assert "no longer give the Merkle root" in caught.stderr


def test_cli_receipt_checked_offline_and_by_the_independent_verifier(
        runner: CliRunner, recorded: str, tmp_path: Path) -> None:
    private, public = tmp_path / "k.pem", tmp_path / "k.pub"
    generate_key(private, public)
    out = tmp_path / "receipt.json"
    made = run(runner, "audit", "receipt", "2", "--key", str(private), "--db", recorded,
               "-o", str(out), "--lang", "en")
    assert made.exit_code == 0, made.output
    assert "Wrote the receipt of decision 2" in made.stderr

    # no --db: the check needs nothing but the file and the public key
    result = run(runner, "audit", "check-receipt", str(out), "--pubkey", str(public),
                 "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "The receipt holds" in result.stdout and "decision 2" in result.stdout
    vi = run(runner, "audit", "check-receipt", str(out), "--pubkey", str(public))
    assert "Biên nhận hợp lệ" in vi.stdout

    document = json.loads(out.read_text(encoding="utf-8"))
    assert "decision 2" in receipt_verifier.check(document, load_public_key(public))
    forged = _tampered(document, _outcome)
    with pytest.raises(ValueError):
        receipt_verifier.check(forged, load_public_key(public))
    bad = tmp_path / "forged.json"
    bad.write_text(json.dumps(forged), encoding="utf-8")
    refused = run(runner, "audit", "check-receipt", str(bad), "--pubkey", str(public),
                  "--lang", "en")
    assert refused.exit_code == 1 and "receipt refused" in refused.stderr

    both = run(runner, "audit", "receipt", "2", "--db", recorded)
    assert both.exit_code == 2 and "--key" in both.stderr
