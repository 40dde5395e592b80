"""The huge-folder fixture of devtools/seed.py (`--big-folder N`)."""

from __future__ import annotations

import boto3
from moto import mock_aws

from devtools import seed


@mock_aws
def test_big_folder_seeds_n_ordered_keys_beside_the_demo_data():
    dataset = seed.seed_backend(big_folder=1234)
    s3 = boto3.client("s3", region_name=seed.REGION)
    prefix = f"users/{dataset.user_id}/files/{seed.HUGE_FOLDER}/"
    keys = [
        o["Key"]
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=dataset.org_bucket, Prefix=prefix)
        for o in page.get("Contents", [])
    ]
    assert len(keys) == 1234
    assert keys[0] == prefix + "item-000000.txt"
    assert keys[-1] == prefix + seed.huge_name(1234) == prefix + "item-001233.txt"
    # the 5,000-key folder and the rest of the demo are still there, and the huge folder is not in `objects`
    big = s3.list_objects_v2(Bucket=dataset.org_bucket, Prefix=f"users/{dataset.user_id}/files/big-folder/")
    assert big["KeyCount"] == 1000 and big["IsTruncated"]
    assert not any(seed.HUGE_FOLDER in key for _, key in dataset.objects)


@mock_aws
def test_no_big_folder_by_default():
    dataset = seed.seed_backend()
    s3 = boto3.client("s3", region_name=seed.REGION)
    prefix = f"users/{dataset.user_id}/files/{seed.HUGE_FOLDER}/"
    assert s3.list_objects_v2(Bucket=dataset.org_bucket, Prefix=prefix)["KeyCount"] == 0


@mock_aws
def test_public_bucket_outside_eos_reads_unsigned():
    from botocore import UNSIGNED
    from botocore.config import Config

    seed.seed_backend()
    anonymous = boto3.client("s3", region_name=seed.REGION, config=Config(signature_version=UNSIGNED))
    listed = anonymous.list_objects_v2(Bucket=seed.PUBLIC_BUCKET, Prefix="phase3/")
    assert sorted(o["Key"] for o in listed["Contents"]) == sorted(seed.PUBLIC_OBJECTS)
    body = anonymous.get_object(Bucket=seed.PUBLIC_BUCKET, Key="phase3/README.txt")["Body"].read().decode()
    assert body == seed.PUBLIC_OBJECTS["phase3/README.txt"]
