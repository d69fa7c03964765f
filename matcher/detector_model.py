"""The detector's span categorizer, run as a few array operations instead of spaCy's layer graph.

``SpanScorer.from_spancat(pipe)`` reads the weights of a trained ``spacy.SpanCategorizer.v1`` of the
shape ``scripts/train_detector.py`` builds (``MultiHashEmbed`` → ``MaxoutWindowEncoder`` →
``mean_max_reducer`` → ``LinearLogistic``, one label) and ``SpanScorer.scores(doc, spans)`` gives the
same probabilities as ``pipe.predict([doc])`` (to float32 rounding; ``tests/matcher/test_detector.py``
holds them equal on real résumés) at about half the cost, because two of the model's products are
linear in what they read and are done once instead of per token or per span:

- the embedding mix (a maxout over the four concatenated hash embeddings) is a product of a sum of
  table rows, so each table is multiplied by its block of the mix's weights once, when the model is
  loaded, and a token's pre-activation is the sum of its projected rows (no product per token);
- a one-token span's reducer input is [x, x, x, x] (last, first, mean and max of one vector), so its
  product uses the four weight blocks summed, a quarter of the work of a longer span's;
- spans' rows are gathered with array indexing, not spaCy's Python loop over spans.

A model of another shape raises ``ValueError`` (``detector`` then uses spaCy's own ``predict``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from spacy.tokens import Doc
from thinc.api import Model, NumpyOps

__all__ = ["SpanScorer"]

_OPS = NumpyOps()
_EPS = 1e-08  # thinc's LayerNorm variance epsilon


@dataclass(frozen=True)
class _Maxout:
    W: np.ndarray  # (nO * nP, nI)
    b: np.ndarray  # (nO * nP,)
    pieces: int
    G: np.ndarray  # the layer norm's scale and shift after it
    shift: np.ndarray

    @classmethod
    def of(cls, maxout: Model, norm: Model) -> _Maxout:
        nO, nP, nI = maxout.get_param("W").shape
        return cls(W=np.ascontiguousarray(maxout.get_param("W").reshape(nO * nP, nI)),
                   b=maxout.get_param("b").reshape(nO * nP).copy(), pieces=nP,
                   G=norm.get_param("G").copy(), shift=norm.get_param("b").copy())

    def finish(self, pre: np.ndarray) -> np.ndarray:
        """Maxout over the pieces of a pre-activation (bias included), then the layer norm."""
        best, _which = _OPS.maxout(_OPS.reshape3f(pre, len(pre), len(self.G), self.pieces))
        mu = best.mean(axis=1, keepdims=True)
        var = best.var(axis=1, keepdims=True) + _EPS
        return (best - mu) * var ** -0.5 * self.G + self.shift

    def __call__(self, X: np.ndarray) -> np.ndarray:
        return self.finish(_product(X, self.W) + self.b)


def _product(X: np.ndarray, W: np.ndarray) -> np.ndarray:
    """X @ W.T with thinc's single-threaded BLIS kernel, as the model's own layers compute it
    (numpy's BLAS may start threads that fight over the cores other parse workers use)."""
    return _OPS.gemm(np.ascontiguousarray(X, dtype="float32"), W, trans2=True)


def _find(model: Model, name: str) -> list[Model]:
    return [node for node in model.walk() if node.name == name]


@dataclass(frozen=True)
class SpanScorer:
    """Weights of a trained span categorizer, arranged for :meth:`scores`."""

    columns: tuple[str, ...]  # the hash-embedded token attributes ("NORM", "PREFIX", ...)
    seeds: tuple[int, ...]
    tables: tuple[np.ndarray, ...]  # each embedding table times its block of the mix's weights
    mix: _Maxout
    encoders: tuple[_Maxout, ...]
    window: int
    reducer: _Maxout
    reducer_one: np.ndarray  # the reducer's weight blocks summed: a one-token span's product
    out_W: np.ndarray
    out_b: np.ndarray

    @classmethod
    def from_spancat(cls, pipe) -> SpanScorer:
        """Read a ``SpanCategorizer.v1`` of the shipped shape; ``ValueError`` for any other."""
        model = pipe.model
        try:
            tok2vec, _extract, reduce, score = model.layers
            embeds = sorted(_find(tok2vec, "hashembed"), key=lambda h: h.attrs["column"])
            maxouts, norms = _find(tok2vec, "maxout"), _find(tok2vec, "layernorm")
            windows = {n.attrs["window_size"] for n in _find(tok2vec, "expand_window")}
            attrs = list(_find(tok2vec, "extract_features")[0].attrs["columns"])
            mix = _Maxout.of(maxouts[0], norms[0])
            width = embeds[0].get_param("E").shape[1]
            blocks = [mix.W[:, i * width:(i + 1) * width] for i in range(len(embeds))]
            red = _Maxout.of(_find(reduce, "maxout")[0], _find(reduce, "layernorm")[0])
            linear = _find(score, "linear")[0]
            if (len(windows) != 1 or mix.W.shape[1] != width * len(embeds) or len(attrs) != len(embeds)
                    or red.W.shape[1] != 4 * width or linear.get_param("W").shape[0] != 1):
                raise ValueError("unexpected layer sizes")
        except (ValueError, KeyError, IndexError, AttributeError) as exc:
            raise ValueError(f"not a span categorizer of the shipped shape: {exc}") from exc
        r = red.W
        return cls(
            columns=tuple(attrs),
            seeds=tuple(int(h.attrs["seed"]) for h in embeds),
            tables=tuple(_product(h.get_param("E"), np.ascontiguousarray(blk)) for h, blk in zip(embeds, blocks)),
            mix=mix,
            encoders=tuple(_Maxout.of(m, n) for m, n in zip(maxouts[1:], norms[1:])),
            window=windows.pop(),
            reducer=red,
            reducer_one=np.ascontiguousarray(r[:, :width] + r[:, width:2 * width] + r[:, 2 * width:3 * width]
                                             + r[:, 3 * width:]),
            out_W=linear.get_param("W")[0].copy(), out_b=linear.get_param("b").copy(),
        )

    def token_vectors(self, doc: Doc) -> np.ndarray:
        """The tok2vec output: one row per token."""
        ids = doc.to_array(list(self.columns)).astype("uint64").reshape(len(doc), len(self.columns))
        pre = np.zeros((len(doc), self.mix.W.shape[0]), dtype="float32")
        for i, (seed, table) in enumerate(zip(self.seeds, self.tables)):
            keys = _OPS.hash(np.ascontiguousarray(ids[:, i]), seed) % table.shape[0]
            pre += _OPS.gather_add(table, keys)
        X = self.mix.finish(pre + self.mix.b)
        pad = self.window * len(self.encoders)  # thinc pads a doc with zero rows for the encoder
        H = np.concatenate([np.zeros((pad, X.shape[1]), "float32"), X, np.zeros((pad, X.shape[1]), "float32")])
        for enc in self.encoders:
            H = H + enc(_OPS.seq2col(H, self.window))
        return H[pad:len(H) - pad]

    def scores(self, doc: Doc, spans: np.ndarray) -> np.ndarray:
        """P(TOOL) of each (token start, token end) span of ``doc``, in the order given."""
        out = np.zeros(len(spans), dtype="float32")
        if not len(spans) or not len(doc):
            return out
        X = self.token_vectors(doc)
        starts, ends = spans[:, 0], spans[:, 1]
        lengths = ends - starts
        pre = np.empty((len(spans), self.reducer.W.shape[0]), dtype="float32")
        one = lengths == 1
        pre[one] = _product(X[starts[one]], self.reducer_one)
        many = ~one
        if many.any():
            s, e, n = starts[many], ends[many], lengths[many]
            width = X.shape[1]
            cum = np.concatenate([np.zeros((1, width), "float32"), np.cumsum(X, axis=0, dtype="float32")])
            feats = np.empty((len(s), 4 * width), dtype="float32")
            feats[:, :width] = X[e - 1]
            feats[:, width:2 * width] = X[s]
            feats[:, 2 * width:3 * width] = (cum[e] - cum[s]) / n[:, None]
            top = X[s]
            for j in range(1, int(n.max())):
                longer = np.flatnonzero(n > j)
                top[longer] = np.maximum(top[longer], X[s[longer] + j])
            feats[:, 3 * width:] = top
            pre[many] = _product(feats, self.reducer.W)
        hidden = self.reducer.finish(pre + self.reducer.b)
        logits = hidden @ self.out_W + self.out_b[0]  # one output: a matrix-vector product
        return (1.0 / (1.0 + np.exp(-logits))).astype("float32")

