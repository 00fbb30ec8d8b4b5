"""Topic models: LDA and NMF behind one scikit-learn estimator, :class:`TopicModel`.

:class:`TopicModel` puts LDA (counts, :class:`~sklearn.decomposition.LatentDirichletAllocation`)
and NMF (TF-IDF, :class:`~sklearn.decomposition.NMF` with NNDSVDa initialisation) behind one
scikit-learn estimator: a vectorizer (the terms of :class:`~analysis.topics.terms.PhraseAnalyzer`),
then a model. Topics are numbered by their share of the corpus, largest first. Every random step
takes ``random_state`` (the study seed by default), so a rerun gives identical topics.
"""

from __future__ import annotations

import warnings
from collections.abc import Collection, Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import NMF, LatentDirichletAllocation, MiniBatchNMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.utils import Tags
from sklearn.utils.validation import check_is_fitted

from analysis.core.config import RANDOM_SEED
from analysis.core.errors import NotEnoughDataError
from analysis.core.parallel import Mapper
from analysis.topics.analysed import AnalysedTexts, analyse_texts
from analysis.topics.settings import COLLOCATION_SAMPLE, METHODS, N_TOP_TERMS
from analysis.topics.terms import PhraseAnalyzer, _text_input_tags, map_in_order


def _pretokenised(terms: list[str]) -> list[str]:
    """The analyzer of a vectorizer given term lists instead of texts."""
    return terms


def _terms_in_order(
    analyzer: PhraseAnalyzer,
    texts: Sequence[str],
    tokens: dict[int, list[str]],
    n_jobs: int,
    mapper: Mapper | None = None,
) -> list[list[str]]:
    """Every text's terms, in order: from its tokens when collocations were found on it (the
    tokens are released as they are used), else by analysing it (in ``n_jobs`` processes, or
    by ``mapper``)."""
    rest = map_in_order(
        analyzer,
        [text for i, text in enumerate(texts) if i not in tokens],
        n_jobs=n_jobs,
        mapper=mapper,
    )
    shared: dict[str, str] = {}  # one string per term, also for terms from other processes
    terms = []
    for i in range(len(texts)):
        found = analyzer.terms_of_tokens(tokens.pop(i)) if i in tokens else next(rest)
        terms.append([shared.setdefault(term, term) for term in found])
    return terms


class TopicModel(TransformerMixin, BaseEstimator):
    """LDA or NMF topics of short texts: a phrase-aware vectorizer, then the model.

    Parameters
    ----------
    method
        ``"nmf"`` (TF-IDF, NMF with NNDSVDa initialisation) or ``"lda"`` (counts, batch
        variational LDA).
    n_topics
        Number of topics k.
    min_df, max_df, max_features
        Vocabulary limits, as in :class:`~sklearn.feature_extraction.text.CountVectorizer`.
    phrases, min_phrase_count
        Merge collocations seen at least ``min_phrase_count`` times (:class:`PhraseAnalyzer`).
    collocation_sample
        Words above which collocations are found on a seeded sample of the texts
        (:class:`PhraseAnalyzer`; ``None``: on every text).
    stop_words
        Terms to drop; :data:`STOP_WORDS` when ``None``.
    max_iter
        Iterations of the model (``None``: 100 for LDA, 1000 for NMF; with ``batch_size``,
        passes over the data: 10 for online LDA, 200 for minibatch NMF, which stops early).
    batch_size
        ``None`` fits on all texts at once. A number of texts fits on minibatches of that
        size, for large corpora: :class:`~sklearn.decomposition.MiniBatchNMF` or online
        variational LDA (Hoffman et al. 2010), whose memory does not grow with the iterations.
    random_state
        Seed of every random step.
    n_jobs
        Processes that analyse the texts (tokenising, merging phrases) when fitting; texts go
        to them in runs and come back in order, so every ``n_jobs`` gives identical results.

    Attributes
    ----------
    analyzer_ : PhraseAnalyzer
        The fitted term analyzer (its ``collocations_`` are the merged phrases).
    vectorizer_ : CountVectorizer or TfidfVectorizer
        The fitted vectorizer.
    model_ : LatentDirichletAllocation or NMF
        The fitted model (its topics in the model's own order).
    topic_order_ : ndarray of int
        ``model_``'s topic index for topic 1, 2, ...: topics ordered by corpus share.
    components_ : ndarray of shape (n_topics, n_terms)
        Topic-term weights, each row summing to 1, in topic order.
    terms_ : ndarray of str
        The vocabulary (column names of ``components_``).
    converged_ : bool
        Whether the model converged within ``max_iter`` (scikit-learn's ConvergenceWarning is
        recorded here rather than printed; ``framing topics`` reports it in one line).

    See Also
    --------
    npmi_coherence, topic_stability, choose_k

    Examples
    --------
    >>> texts = ["tariff trade deal tariff", "trade deal tariff talks", "minerals supply chain",
    ...          "critical minerals supply", "tariff trade talks", "minerals chain supply"]
    >>> model = TopicModel(n_topics=2, min_df=1, max_df=1.0).fit(texts)
    >>> model.get_feature_names_out().tolist()
    ['topic_1', 'topic_2']
    >>> sorted(model.top_terms(2).groupby("topic")["term"].apply(tuple).tolist())
    [('minerals', 'supply'), ('tariff', 'trade')]
    """

    def __init__(
        self,
        *,
        method: str = "nmf",
        n_topics: int = 5,
        min_df: int | float = 2,
        max_df: int | float = 0.5,
        max_features: int | None = None,
        phrases: bool = True,
        min_phrase_count: int = 3,
        stop_words: Collection[str] | None = None,
        max_iter: int | None = None,
        batch_size: int | None = None,
        random_state: int = RANDOM_SEED,
        collocation_sample: int | None = COLLOCATION_SAMPLE,
        n_jobs: int = 1,
    ):
        self.method = method
        self.n_topics = n_topics
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.phrases = phrases
        self.min_phrase_count = min_phrase_count
        self.stop_words = stop_words
        self.max_iter = max_iter
        self.batch_size = batch_size
        self.random_state = random_state
        self.collocation_sample = collocation_sample
        self.n_jobs = n_jobs

    def __sklearn_tags__(self) -> Tags:
        """Its input is texts (see :func:`analysis.topics.terms._text_input_tags`)."""
        return _text_input_tags(super().__sklearn_tags__())

    def fit(self, texts: Iterable[str], y: object = None) -> TopicModel:
        """Fit the analyzer, the vectorizer and the model on ``texts``."""
        self._fit(texts)
        return self

    def fit_transform(self, texts: Iterable[str], y: object = None) -> np.ndarray:
        """Fit on ``texts`` and return their topic shares as fitted by the model, analysing
        each text once."""
        return self._fit(texts)[0]

    def fit_vectorize(
        self, texts: Iterable[str], mapper: Mapper | None = None
    ) -> sparse.csr_matrix:
        """Fit on ``texts`` and return their document-term matrix, equal to
        ``vectorizer_.transform(texts)`` (give it to :meth:`shares_of` or
        :func:`unit_topics`), analysing each text once instead of twice.

        With a ``mapper`` (a Dask cluster's, :class:`analysis.run.dask.DaskMapper`), the texts
        are analysed in its tasks, runs of consecutive texts, instead of ``n_jobs`` processes;
        the terms, the vocabulary, the matrix and the model are the same.
        """
        _, terms = self._fit(texts, mapper)
        return self._vectorize_terms(terms)

    def _vectorize_terms(self, terms: list[list[str]] | AnalysedTexts) -> sparse.csr_matrix:
        """``vectorizer_.transform`` of texts given by their terms (``analyzer_`` of each)."""
        analyzer = self.vectorizer_.get_params()["analyzer"]
        self.vectorizer_.set_params(analyzer=_pretokenised)
        try:
            return sparse.csr_matrix(self.vectorizer_.transform(terms))
        finally:
            self.vectorizer_.set_params(analyzer=analyzer)

    def _fit(
        self, texts: Iterable[str], mapper: Mapper | None = None
    ) -> tuple[np.ndarray, list[list[str]]]:
        """Fit; return the fitted topic shares and every text's terms (:meth:`_analyse`, then
        :meth:`_fit_analysed`)."""
        texts = list(texts)
        self._check(len(texts))
        analyzer, terms = self._analyse(texts, mapper)
        return self._fit_analysed(analyzer, terms), terms

    def _check(self, n_texts: int) -> None:
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, not {self.method!r}")
        if not 1 <= self.n_topics <= n_texts:
            raise NotEnoughDataError(
                f"n_topics must be between 1 and the number of texts ({n_texts}), "
                f"not {self.n_topics}"
            )
        if self.n_jobs < 1:
            raise ValueError(f"n_jobs must be a positive number, not {self.n_jobs}")

    def _analyse(
        self, texts: list[str], mapper: Mapper | None = None
    ) -> tuple[PhraseAnalyzer, list[list[str]]]:
        """The term analyzer this model fits on ``texts``, and every text's terms.

        Each text is tokenised once: the texts collocations are found on keep their tokens
        for the terms, which come back as lists (a single fit's path; :meth:`analysed` makes an
        analysis that several fits share, its terms as numbers).
        """
        analyzer = self._new_analyzer()
        tokens = analyzer._fit(texts, n_jobs=self.n_jobs, mapper=mapper)
        return analyzer, _terms_in_order(analyzer, texts, tokens, self.n_jobs, mapper)

    def _new_analyzer(self) -> PhraseAnalyzer:
        """The term analyzer of this model's analysis parameters, not fitted."""
        return PhraseAnalyzer(
            phrases=self.phrases,
            min_count=self.min_phrase_count,
            stop_words=self.stop_words,
            collocation_sample=self.collocation_sample,
            random_state=self.random_state,
        )

    def analysed(self, texts: Sequence[str], mapper: Mapper | None = None) -> AnalysedTexts:
        """``texts`` analysed as fitting this model analyses them (its term analyzer fitted on
        them, then every text's terms, in ``n_jobs`` processes or ``mapper``'s tasks), for
        :meth:`fit_analysed` of a model with the same analysis parameters (``phrases``,
        ``min_phrase_count``, ``stop_words``, ``collocation_sample``, ``random_state``),
        whatever its method and k.
        """
        texts = list(texts)
        analyzer = self._new_analyzer()
        # collocations, counted in the tasks, which send back counts rather than token lists
        analyzer._fit(texts, n_jobs=self.n_jobs, mapper=mapper, keep_tokens=False)
        return analyse_texts(texts, analyzer, workers=self.n_jobs, mapper=mapper)

    def fit_analysed(self, analysed: AnalysedTexts, y: object = None) -> TopicModel:
        """Fit on texts already analysed (:meth:`analysed`): the same model as :meth:`fit` on
        the texts. :class:`ValueError` when they were analysed with other analysis
        parameters than this model's."""
        if analysed.analyzer.get_params() != self._new_analyzer().get_params():
            raise ValueError("the texts were analysed with other analysis parameters")
        self._fit_analysed(analysed.analyzer, analysed)
        return self

    def vectorize(self, analysed: AnalysedTexts) -> sparse.csr_matrix:
        """The document-term matrix of texts already analysed (:meth:`analysed`), equal to
        ``vectorizer_.transform`` of the texts (for :meth:`shares_of`, :func:`unit_topics`)."""
        check_is_fitted(self, "components_")
        return self._vectorize_terms(analysed)

    def _fit_analysed(
        self, analyzer: PhraseAnalyzer, terms: list[list[str]] | AnalysedTexts
    ) -> np.ndarray:
        """Fit the vectorizer and the model on texts already analysed (:meth:`_analyse` of a
        model with the same analysis parameters); return the fitted topic shares.

        The vectorizer is fitted on the term lists (the same vocabulary and matrix as fitting
        it on the texts with ``analyzer_``) and then given ``analyzer_`` for new texts.
        """
        self._check(len(terms))
        self.analyzer_ = analyzer
        vectorizer_class = TfidfVectorizer if self.method == "nmf" else CountVectorizer
        self.vectorizer_ = vectorizer_class(
            analyzer=_pretokenised,
            min_df=self.min_df,
            max_df=self.max_df,
            max_features=self.max_features,
        )
        try:
            matrix = self.vectorizer_.fit_transform(terms)
        except ValueError as exc:  # every term pruned by min_df / max_df
            raise NotEnoughDataError(
                f"no terms left to model ({exc}); lower min_df or raise max_df"
            ) from None
        if self.method == "nmf" and self.n_topics > min(matrix.shape):
            raise NotEnoughDataError(
                f"{self.n_topics} topics need at least as many texts and terms; the texts "
                f"have {matrix.shape[1]} terms after pruning (min_df, max_df)"
            )
        self.vectorizer_.set_params(analyzer=self.analyzer_)
        if self.batch_size is not None and self.batch_size < 1:
            raise ValueError(f"batch_size must be a positive number, not {self.batch_size}")
        if self.method == "nmf" and self.batch_size is not None:
            self.model_ = MiniBatchNMF(
                n_components=self.n_topics,
                init="nndsvda",
                batch_size=self.batch_size,
                max_iter=self.max_iter or 200,
                random_state=self.random_state,
            )
        elif self.method == "lda" and self.batch_size is not None:
            self.model_ = LatentDirichletAllocation(
                n_components=self.n_topics,
                learning_method="online",
                batch_size=self.batch_size,
                max_iter=self.max_iter or 10,
                random_state=self.random_state,
            )
        elif self.method == "nmf":
            self.model_ = NMF(
                n_components=self.n_topics,
                init="nndsvda",
                max_iter=self.max_iter or 1000,
                random_state=self.random_state,
            )
        else:
            self.model_ = LatentDirichletAllocation(
                n_components=self.n_topics,
                learning_method="batch",
                max_iter=self.max_iter or 100,
                evaluate_every=5,  # stop once perplexity changes by less than 0.1
                random_state=self.random_state,
            )
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            shares = self._normalise(self.model_.fit_transform(matrix))
        self.converged_ = True
        for warning in caught:
            if issubclass(warning.category, ConvergenceWarning):
                self.converged_ = False
            else:
                warnings.warn_explicit(
                    warning.message, warning.category, warning.filename, warning.lineno
                )
        self.topic_order_ = np.argsort(-shares.sum(axis=0), kind="stable")
        weights = self.model_.components_[self.topic_order_]
        totals = weights.sum(axis=1, keepdims=True)
        self.components_ = np.divide(weights, totals, out=np.zeros_like(weights), where=totals > 0)
        self.terms_ = self.vectorizer_.get_feature_names_out()
        return shares[:, self.topic_order_]

    def _normalise(self, weights: np.ndarray) -> np.ndarray:
        totals = weights.sum(axis=1, keepdims=True)
        uniform = np.full_like(weights, 1.0 / weights.shape[1])
        return np.divide(weights, totals, out=uniform, where=totals > 0)

    def transform(self, texts: Iterable[str]) -> np.ndarray:
        """Topic shares of each text, rows summing to 1 (uniform for a text with no known term).

        Returns
        -------
        ndarray of shape (n_texts, n_topics)
        """
        check_is_fitted(self, "components_")
        return self.shares_of(self.vectorizer_.transform(list(texts)))

    def shares_of(self, matrix: sparse.spmatrix) -> np.ndarray:
        """Topic shares of texts already vectorised with ``vectorizer_`` (see
        :meth:`transform`), so that texts are analysed once when their terms are needed too."""
        check_is_fitted(self, "components_")
        return self._normalise(self.model_.transform(matrix))[:, self.topic_order_]

    def document_terms(self, texts: Iterable[str] | AnalysedTexts) -> sparse.csr_matrix:
        """Binary document-term matrix of ``texts`` (or of texts already analysed) over the
        model's vocabulary."""
        check_is_fitted(self, "components_")
        if isinstance(texts, AnalysedTexts):
            matrix = self.vectorize(texts)
        else:
            matrix = sparse.csr_matrix(self.vectorizer_.transform(list(texts)))
        return (matrix > 0).astype(np.int64)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """Names of the columns of :meth:`transform`: ``topic_1`` ... ``topic_k``."""
        check_is_fitted(self, "components_")
        return np.asarray([f"topic_{i}" for i in range(1, self.n_topics + 1)], dtype=object)

    def top_term_indices(self, n_terms: int = N_TOP_TERMS) -> list[np.ndarray]:
        """Column indices of each topic's ``n_terms`` heaviest terms (ties: vocabulary order)."""
        check_is_fitted(self, "components_")
        return [np.argsort(-row, kind="stable")[:n_terms] for row in self.components_]

    def top_terms(self, n_terms: int = N_TOP_TERMS) -> pd.DataFrame:
        """Each topic's heaviest terms: columns topic (1, 2 ...), rank (1, 2 ...), term, weight."""
        check_is_fitted(self, "components_")
        rows = [
            {"topic": topic, "rank": rank, "term": self.terms_[index], "weight": row[index]}
            for topic, (row, indices) in enumerate(
                zip(self.components_, self.top_term_indices(n_terms), strict=True), start=1
            )
            for rank, index in enumerate(indices, start=1)
        ]
        return pd.DataFrame(rows, columns=["topic", "rank", "term", "weight"])
