"""kb.nlp.fastops: NumPy matrix products give the same pipeline decisions as thinc's blis ones."""

import numpy
import pytest
import spacy
from ginza import bunsetu_spans
from thinc.api import get_current_ops
from thinc.backends.numpy_ops import NumpyOps

from kb.nlp.fastops import blas_thread_count, fast_ops_enabled, ingest_blas_threads, use_fast_ops, use_stock_ops

# Written for this test: AI-infrastructure news sentences with companies, places, money and dates.
SENTENCES = [
    "米マイクロソフトは2026年3月、ウィスコンシン州に約33億ドルを投じてAIデータセンターを新設すると発表した。",
    "エヌビディアのジェンスン・フアンCEOは、次世代GPUの量産が予定より早く進んでいると述べた。",
    "ソフトバンクグループと米オラクルは、テキサス州アビリーンの拠点で電力容量を1.2ギガワットに拡大する計画だ。",
    "キオクシアは岩手県北上市の新工場で、データセンター向けのNANDフラッシュの出荷を始めた。",
    "関係者によると、コアウィーブはメタとの間で総額142億ドルの計算能力の供給契約を結んだ。",
    "同社は購入義務を負わず、完成したラックの販売先も限定しない方針だという。",
    "TSMCは熊本県菊陽町の第2工場について、政府から最大7320億円の補助を受ける見込みだ。",
    "さくらインターネットの田中邦裕社長は、国内のGPUクラウド需要が前年の3倍に膨らんだと語った。",
    "アマゾン・ウェブ・サービスは7年間で380億ドル相当のサーバー容量をOpenAIに提供する。",
    "SKハイニックスはインディアナ州に38億7000万ドルを投じ、HBMの後工程工場を建設する。",
    "ラピダスは北海道千歳市の試作ラインで2ナノ品の試作に成功したと明らかにした。",
    "電力会社各社は、2030年までにデータセンター向けの電力需要が約3割増えると予測している。",
]


@pytest.fixture
def stock_ops():
    """Blis matrix products during the test, and whatever was active before it afterwards."""
    was_fast = fast_ops_enabled()
    use_stock_ops()
    yield
    if was_fast:
        use_fast_ops()
    else:
        use_stock_ops()


@pytest.fixture(scope="module")
def ginza():
    return spacy.load("ja_ginza")


def signature(doc) -> tuple:
    return (tuple((t.text, t.tag_, t.pos_, t.lemma_, str(t.morph), t.head.i, t.dep_) for t in doc),
            tuple((e.start_char, e.end_char, e.label_) for e in doc.ents),
            tuple((s.start, s.end) for s in bunsetu_spans(doc)))


def test_pipeline_outputs_identical_with_fast_ops(ginza, stock_ops):
    stock = [signature(d) for d in ginza.pipe(SENTENCES)]
    assert get_current_ops().use_blis  # really the blis path
    use_fast_ops()
    assert fast_ops_enabled()
    fast = [signature(d) for d in ginza.pipe(SENTENCES)]
    assert fast == stock
    assert any(len(s[1]) > 0 for s in stock)  # the sentences do exercise NER


def test_fast_ops_reach_a_pipeline_loaded_before(ginza, stock_ops):
    tok2vec_ops = ginza.get_pipe("tok2vec").model.ops
    assert isinstance(tok2vec_ops, NumpyOps) and tok2vec_ops.use_blis
    use_fast_ops()
    use_fast_ops()  # idempotent
    assert not tok2vec_ops.use_blis
    use_stock_ops()
    assert tok2vec_ops.use_blis and not fast_ops_enabled()


def test_fast_ops_reach_a_pipeline_loaded_after(stock_ops):
    use_fast_ops()
    nlp = spacy.blank("ja")
    nlp.add_pipe("tok2vec")
    assert not nlp.get_pipe("tok2vec").model.ops.use_blis


def test_use_fast_ops_describes_itself(stock_ops, monkeypatch):
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        monkeypatch.delenv(name, raising=False)
    before = blas_thread_count()
    description = use_fast_ops()
    assert "numpy" in description
    if before is not None:
        assert blas_thread_count() == 1
        use_stock_ops()
        assert blas_thread_count() == before


def test_several_blas_threads_give_identical_outputs(ginza, stock_ops, monkeypatch):
    # A single-process ingest gives BLAS the spare cores; splitting products across threads must
    # not change a single decision of the pipeline.
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        monkeypatch.delenv(name, raising=False)
    stock = [signature(d) for d in ginza.pipe(SENTENCES * 3)]
    use_fast_ops(blas_threads=2)
    if blas_thread_count() is not None:
        assert blas_thread_count() == 2
    assert [signature(d) for d in ginza.pipe(SENTENCES * 3)] == stock


def test_ingest_blas_threads_policy():
    import os

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert ingest_blas_threads(1) == max(1, min(cores, 4))  # one analysing process: the spare cores
    assert ingest_blas_threads(2) == 1                      # worker processes already use every core
    assert ingest_blas_threads(0) == 1
    assert ingest_blas_threads(1, distributed=True) == 1


SHAPES = [(1, 1, 1), (3, 5, 7), (64, 96, 288), (257, 768, 65), (1000, 64, 758)]


@pytest.mark.parametrize("m,k,n", SHAPES)
@pytest.mark.parametrize("trans1", [False, True])
@pytest.mark.parametrize("trans2", [False, True])
@pytest.mark.parametrize("with_out", [False, True])
def test_gemm_matches_numpy_reference(stock_ops, m, k, n, trans1, trans2, with_out):
    rng = numpy.random.default_rng(m * 7 + k * 3 + n)
    a = rng.standard_normal((m, k), dtype=numpy.float32)
    b = rng.standard_normal((k, n), dtype=numpy.float32)
    x = numpy.ascontiguousarray(a.T) if trans1 else a
    y = numpy.ascontiguousarray(b.T) if trans2 else b
    expected = a.astype(numpy.float64) @ b.astype(numpy.float64)
    use_fast_ops()
    ops = get_current_ops()
    out = numpy.full((m, n), numpy.nan, dtype=numpy.float32) if with_out else None
    result = ops.gemm(x, y, out=out, trans1=trans1, trans2=trans2)
    assert result.dtype == numpy.float32 and result.shape == (m, n)
    if with_out:
        assert result is out
    numpy.testing.assert_allclose(result, expected, rtol=1e-4, atol=1e-4 * numpy.sqrt(k))
    blis = NumpyOps(use_blis=True).gemm(x, y, trans1=trans1, trans2=trans2)
    numpy.testing.assert_allclose(result, blis, rtol=1e-4, atol=1e-4 * numpy.sqrt(k))
