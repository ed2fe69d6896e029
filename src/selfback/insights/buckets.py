"""Days, weeks (Monday first) and months: the buckets charts and tables group days into."""

from __future__ import annotations

from datetime import date, timedelta

from selfback.periods import DateRange
from selfback.store.trends import Bucket

__all__ = ["Bucket", "bucket_start", "bucket_starts", "choose_bucket", "next_bucket"]


def choose_bucket(rng: DateRange, max_points: int) -> Bucket:
    if rng.days <= max_points:
        return "day"
    if rng.days / 7 <= max_points:
        return "week"
    return "month"


def bucket_start(d: date, bucket: Bucket) -> date:
    if bucket == "day":
        return d
    if bucket == "week":
        return d - timedelta(days=d.weekday())
    return d.replace(day=1)


def next_bucket(d: date, bucket: Bucket) -> date:
    if bucket == "day":
        return d + timedelta(days=1)
    if bucket == "week":
        return d + timedelta(days=7)
    return (d.replace(day=28) + timedelta(days=4)).replace(day=1)


def bucket_starts(rng: DateRange, bucket: Bucket) -> list[date]:
    out = []
    d = bucket_start(rng.start, bucket)
    while d <= rng.end:
        out.append(d)
        d = next_bucket(d, bucket)
    return out
