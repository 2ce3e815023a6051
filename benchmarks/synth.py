"""Synthetic but realistic datasets: every kind, Chinese and English text, links, partial dates."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SHARE = {"companies": 0.12, "models": 0.15, "chips": 0.06, "events": 0.57, "predictions": 0.05, "trends": 0.05}
ZH = ("人工智能 大模型 芯片 训练 推理 自动驾驶 医疗 影像 融资 发布 开源 数据集 基准 算力 机器人 蛋白质 "
      "多模态 语音 视觉 政策 治理 安全 产业 资本 研究院 实验室 公司 参数 性能 提升").split()
EN = ("model chip training inference driving medical funding release open dataset benchmark compute robot "
      "protein multimodal speech vision policy safety industry capital lab company parameters").split()


def sentence(rng: random.Random, words: list[str], n: int, sep: str) -> str:
    return sep.join(rng.choice(words) for _ in range(n))


def date(rng: random.Random, years=(2021, 2024)) -> str:
    year = rng.randint(*years)
    precision = rng.random()
    if precision < 0.1:
        return str(year)
    if precision < 0.35:
        return f"{year}-{rng.randint(1, 12):02d}"
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def make_dataset(out: Path, n: int, seed: int = 0) -> Path:
    """Write n records under out/data (with the real topics and sources); returns out."""
    rng = random.Random(seed)
    data = out / "data"
    if data.exists():
        shutil.rmtree(data)
    data.mkdir(parents=True)
    for table in ("topics.yaml", "sources.yaml"):
        shutil.copy(ROOT / "data" / table, data / table)
    topics = list(yaml.safe_load((data / "topics.yaml").read_text("utf-8")))
    sources = list(yaml.safe_load((data / "sources.yaml").read_text("utf-8")))
    counts = {kind: max(1, round(n * share)) for kind, share in SHARE.items()}
    counts["events"] += n - sum(counts.values())
    ids = {kind: [f"{kind[:-1]}-{i:05d}" for i in range(count)] for kind, count in counts.items()}

    def common(i: int, kind: str) -> dict:
        return {
            "name": {"zh": f"{sentence(rng, ZH, 3, '')}{kind}{i}号", "en": f"{sentence(rng, EN, 3, ' ').title()} {kind} {i}"},
            "summary": {"zh": "，".join(sentence(rng, ZH, 6, "") for _ in range(4)) + "。",
                        "en": sentence(rng, EN, 25, " ").capitalize() + "."},
            "topics": rng.sample(topics, 2),
            "tags": [rng.choice(ZH)],
            "sources": [{"ref": rng.choice(sources), "section": "第一章 / " + rng.choice(ZH)}],
        }

    for kind, kind_ids in ids.items():
        (data / kind).mkdir()
        for i, rid in enumerate(kind_ids):
            record = common(i, kind)
            if kind == "companies":
                record.update(type="company", country=rng.choice(["CN", "US", "GB"]), founded=rng.randint(1990, 2023),
                              sectors=[rng.choice(ZH)])
            elif kind == "models":
                record.update(date=date(rng, (2018, 2024)), organizations=rng.sample(ids["companies"], 1),
                              parameters=rng.choice([1.3e9, 7e9, 1.75e11, 1.75e12]), modalities=["text"], open_weights=True)
            elif kind == "chips":
                record.update(date=date(rng, (2018, 2024)), vendor=rng.choice(ids["companies"]), kind="GPU", process="7nm")
            elif kind == "events":
                record.update(date=date(rng), kind=rng.choice(["release", "funding", "policy", "research"]),
                              companies=rng.sample(ids["companies"], 2), models=rng.sample(ids["models"], 1),
                              chips=rng.sample(ids["chips"], 1))
                if record["kind"] == "funding":
                    record["funding"] = {"round": "B", "amount": rng.randint(1, 100) * 10_000_000, "currency": "USD"}
            elif kind == "predictions":
                record.update(date="2023-12", target_year=2024, verdict=rng.choice(["correct", "partly", "wrong"]),
                              verdict_by="editors", related=rng.sample(ids["events"], 2))
            else:
                record.update(year=rng.randint(2021, 2024), scope="research", rank=i % 20 + 1,
                              related=rng.sample(ids["events"], 2))
            text = yaml.safe_dump(record, allow_unicode=True, sort_keys=False)
            (data / kind / f"{rid}.yaml").write_text(text, encoding="utf-8")
    return out
