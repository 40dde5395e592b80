"""Demo and test data for the embedded S3 server.

Seeding goes through moto's in-process backend, not HTTP: thousands of keys
take well under a second this way instead of a minute.
"""

from __future__ import annotations

import gzip
import io
import json
import random
from dataclasses import dataclass

DEMO_USER_ID = "d3fcaf74-2152-4ed5-9834-9ecb1db4dd6c"
DEMO_ORG_ID = "c4b6da6d-8e1f-4c7a-9b2d-5a0e3f6c1d27"
OTHER_USER_ID = "5f0c2e9a-7b41-4d83-a6c2-1e9f8d3b7a05"
GENCOVE_BUCKET = "gencove-explorer-data"
REGION = "us-east-1"
BIG_FOLDER_SIZE = 5000
# The optional huge folder (`--big-folder N`, EOS_DEMO_BIG_FOLDER=N): its name
# sorts after "big-folder" and never clashes with it.
HUGE_FOLDER = "huge-folder"

# Key names a real organization ends up with; every one must list, stat and
# presign correctly.
ODD_NAMES = [
    "with space.txt",
    "  leading spaces.txt",
    "percent%20literal.txt",
    "100% done.txt",
    "hash#tag.txt",
    "question?mark.txt",
    "plus+sign.txt",
    "amp&ersand=eq.txt",
    "quote\"double.txt",
    "apostrophe's.txt",
    "<angle>.txt",
    "back\\slash.txt",
    "unicode-\u00fcn\u00efc\u00f8d\u00e9-\u65e5\u672c.txt",
    "emoji-\U0001f9ec.txt",
    "NFD-cafe\u0301.txt",
    "trailing-dot.",
    "double//slash.txt",
    "folder marker/",
    "folder marker/inside.txt",
    "a" * 200 + ".txt",
    # Control characters: XML cannot carry them, so listings ask for URL-encoded keys.
    "cr\rx.txt",
    "lf\nx.txt",
    "tab\tx.txt",
    "ctl\x01x.txt",
    "del\x7fx.txt",
]


def org_bucket(org_id: str) -> str:
    return "gencove-explorer-" + org_id.replace("-", "")[:12]


def _fastq_gz(n_reads: int, seed: int) -> bytes:
    """A gzip'd FASTQ file of random reads (compresses like real data: about 2.5x)."""
    rnd = random.Random(seed)
    out = io.StringIO()
    for i in range(n_reads):
        seq = "".join(rnd.choice("ACGT") for _ in range(150))
        qual = "".join(chr(33 + rnd.randint(20, 40)) for _ in range(150))
        out.write(f"@demo:{seed}:{i} 1:N:0:ACGTACGT\n{seq}\n+\n{qual}\n")
    return gzip.compress(out.getvalue().encode(), compresslevel=1, mtime=0)


def _notebook() -> bytes:
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "metadata": {},
                "outputs": [],
                "source": [
                    "from gencove_explorer.models import File\n",
                    'f = File(path_e="e://users/me/project-1/sample1_R1.fastq.gz")\n',
                    "f.download()",
                ],
            }
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(nb, indent=1).encode()


def _samples_tsv(n_rows: int) -> str:
    """A sample sheet as a TSV: what the CSV/TSV viewer opens."""
    rnd = random.Random(26)
    rows = ["sample\tsex\tpopulation\treads\tcoverage"]
    for i in range(1, n_rows + 1):
        pop = rnd.choice(["GBR", "YRI", "CHB", "PEL", "FIN"])
        rows.append(f"S{i:03d}\t{rnd.choice('FM')}\t{pop}\t{rnd.randint(20, 90) * 1000000}\t{rnd.uniform(0.5, 30):.1f}")
    return "\n".join(rows) + "\n"


def _vcf_bgzf(n_records: int) -> bytes:
    """A VCF compressed as BGZF does it: gzip members of at most 65,280 bytes, then an empty one."""
    rnd = random.Random(8)
    lines = ["##fileformat=VCFv4.2", "##source=jupyterlab-eos demo"]
    lines += [f"##contig=<ID=chr{c},length={248956422 - c * 1000000}>" for c in range(1, 23)]
    lines.append('##INFO=<ID=DP,Number=1,Type=Integer,Description="Total depth">')
    lines.append('##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">')
    lines.append("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS001\tS002")
    pos = 10000
    for i in range(n_records):
        pos += rnd.randint(50, 3000)
        ref, alt = rnd.sample("ACGT", 2)
        gts = "\t".join(rnd.choice(["0/0", "0/1", "1/1"]) for _ in range(2))
        lines.append(f"chr1\t{pos}\trs{1000000 + i}\t{ref}\t{alt}\t{rnd.randint(20, 99)}\tPASS\tDP={rnd.randint(5, 80)}\tGT\t{gts}")
    data = ("\n".join(lines) + "\n").encode()
    blocks = [gzip.compress(data[i : i + 65280], mtime=0) for i in range(0, len(data), 65280)]
    return b"".join(blocks) + gzip.compress(b"", mtime=0)


@dataclass
class Dataset:
    """What a seed put where, for tests to assert against."""

    user_id: str
    org_id: str
    org_bucket: str
    gencove_bucket: str
    objects: dict[tuple[str, str], bytes]


def demo_objects(user_id: str, org_id: str, gencove_bucket: str = GENCOVE_BUCKET) -> dict[tuple[str, str], bytes]:
    ob = org_bucket(org_id)
    me = f"users/{user_id}/files/"
    other = f"users/{OTHER_USER_ID}/files/"
    objs: dict[tuple[str, str], bytes] = {}

    def put(bucket: str, key: str, body: bytes | str) -> None:
        objs[(bucket, key)] = body.encode() if isinstance(body, str) else body

    r1 = _fastq_gz(6000, 1)
    put(ob, me + "project-1/sample1_R1.fastq.gz", r1)
    put(ob, me + "project-1/sample1_R2.fastq.gz", _fastq_gz(6000, 2))
    put(ob, me + "project-1/README.md", "# Project 1\n\nPaired-end reads of sample 1.\n")
    put(ob, me + "project-2/analysis.ipynb", _notebook())
    put(ob, me + "project-2/results/variants.vcf", "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\n1\t10177\t.\tA\tAC\n")
    put(ob, me + "notes.txt", "Things to remember.\n")
    put(ob, me + "tmp/tmp-3f9a1c.bin", b"\0" * 1024)
    for name in ODD_NAMES:
        put(ob, me + "odd names/" + name, b"" if name.endswith("/") else f"odd key: {name}\n")
    for i in range(BIG_FOLDER_SIZE):
        put(ob, me + f"big-folder/chunk-{i:05d}.fastq.gz", f"chunk {i}\n")
    # Not under files/: must never show in EOS.
    put(ob, f"users/{user_id}/scratch/hidden.txt", "scratch is not EOS\n")
    put(ob, "shared/not-files.txt", "outside shared/files\n")

    put(ob, other + "shared-results/summary.tsv", "sample\treads\nS1\t1000000\n")
    put(ob, other + "report.html", "<html><body>Report</body></html>\n")

    put(ob, "shared/files/cohort-2026/manifest.csv", "sample,path\nS1,e://org/cohort-2026/S1.bam\n")
    put(ob, "shared/files/cohort-2026/S1.bam", r1[: 256 * 1024])
    put(ob, "shared/files/README.txt", "Organization-wide data.\n")
    # Opened in JupyterLab's CSV/TSV viewer, and peeked into (issue 8).
    put(ob, "shared/files/cohort-2026/samples.tsv", _samples_tsv(40))
    put(ob, "shared/files/cohort-2026/cohort.vcf.gz", _vcf_bgzf(20000))

    put(gencove_bucket, "files/reference/GRCh38/GRCh38.fa.fai", "chr1\t248956422\t112\t70\t71\n")
    put(gencove_bucket, "files/reference/GRCh38/README", "GRCh38 reference (demo excerpt)\n")
    put(gencove_bucket, "files/panels/1000g/panel.tsv", "sample\tpop\nHG00096\tGBR\n")
    return objs


# A bucket outside EOS, named like a public data set (issue 17: Add S3 Location…), readable by anyone.
PUBLIC_BUCKET = "demo-1000genomes"
PUBLIC_OBJECTS = {
    "phase3/README.txt": "1000 Genomes phase 3 (demo excerpt)\n",
    "phase3/integrated_call_samples.panel": "sample\tpop\tsuper_pop\nHG00096\tGBR\tEUR\nHG00097\tGBR\tEUR\n",
    "phase3/data/HG00096/sequence.index": "FASTQ_FILE\tSAMPLE\ndata/HG00096/SRR062634_1.filt.fastq.gz\tHG00096\n",
}


def seed_public_bucket(backend) -> None:
    """PUBLIC_BUCKET with a few small files and a policy letting anyone read (unsigned requests work)."""
    if PUBLIC_BUCKET not in backend.buckets:
        backend.create_bucket(PUBLIC_BUCKET, REGION)
    for key, body in PUBLIC_OBJECTS.items():
        backend.put_object(PUBLIC_BUCKET, key, body.encode())
    # moto checks an anonymous HEAD as s3:HeadObject.
    actions = ["s3:GetObject", "s3:HeadObject", "s3:ListBucket"]
    resources = [f"arn:aws:s3:::{PUBLIC_BUCKET}", f"arn:aws:s3:::{PUBLIC_BUCKET}/*"]
    statement = {"Effect": "Allow", "Principal": "*", "Action": actions, "Resource": resources}
    backend.put_bucket_policy(PUBLIC_BUCKET, json.dumps({"Version": "2012-10-17", "Statement": [statement]}).encode())


def huge_key(user_id: str, i: int) -> str:
    """The key of the i-th object of the huge folder (zero-padded: listing order is index order)."""
    return f"users/{user_id}/files/{HUGE_FOLDER}/item-{i:06d}.txt"


def huge_name(n: int) -> str:
    """The name of the last object of a huge folder of n objects."""
    return huge_key("", n - 1).rsplit("/", 1)[1]


def seed_huge_folder(backend, bucket: str, user_id: str, n: int) -> None:
    """Put n tiny objects under e://users/me/huge-folder/ (100,000: about 3 s and 360 MB of moto memory here)."""
    body = b"x\n"
    for i in range(n):
        backend.put_object(bucket, huge_key(user_id, i), body)


def seed_backend(
    user_id: str = DEMO_USER_ID,
    org_id: str = DEMO_ORG_ID,
    gencove_bucket: str = GENCOVE_BUCKET,
    data: bool = True,
    big_folder: int = 0,
) -> Dataset:
    """Create the org and Gencove buckets in moto's in-process backend, and fill them.

    big_folder > 0 also seeds a folder of that many objects (not listed in `objects`).
    """
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.s3.models import s3_backends

    backend = s3_backends[DEFAULT_ACCOUNT_ID]["aws"]
    ob = org_bucket(org_id)
    for bucket in (ob, gencove_bucket):
        if bucket not in backend.buckets:
            backend.create_bucket(bucket, REGION)
    objs = demo_objects(user_id, org_id, gencove_bucket) if data else {}
    for (bucket, key), body in objs.items():
        backend.put_object(bucket, key, body)
    if big_folder > 0:
        seed_huge_folder(backend, ob, user_id, big_folder)
    if data:
        seed_public_bucket(backend)
    return Dataset(user_id, org_id, ob, gencove_bucket, objs)
