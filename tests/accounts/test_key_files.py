"""Development keys in var/ are made once, by whoever asks first."""

import os
import stat
from concurrent.futures import ProcessPoolExecutor

from cryptography.hazmat.primitives.asymmetric import ec

from accounts.key_files import key_file_once


def _new_key():
    return ec.generate_private_key(ec.SECP256R1())


def _never():
    raise AssertionError("a key already on disk was made again")


def _read_or_make(path):
    return key_file_once(path, _new_key)


def test_the_key_is_made_once_kept_private_and_read_back(tmp_path):
    path = tmp_path / "key.pem"
    first = key_file_once(path, _new_key)
    assert first.startswith("-----BEGIN PRIVATE KEY-----")
    assert key_file_once(path, _never) == first
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert os.listdir(tmp_path) == ["key.pem"]


def test_processes_starting_together_all_get_the_same_key(tmp_path):
    path = tmp_path / "key.pem"
    with ProcessPoolExecutor(max_workers=4) as pool:
        keys = set(pool.map(_read_or_make, [path] * 8))
    assert len(keys) == 1
    assert os.listdir(tmp_path) == ["key.pem"]
