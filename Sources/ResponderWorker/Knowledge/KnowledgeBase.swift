public import ConciergeYAML
import Foundation

/// The help articles, searchable per language with BM25 over title and body (the title counts three times), each
/// language with its own stop words and stemming suffixes (`SearchRules`, from the replies files).
///
/// An article that lists the inquiry's intent in its front matter gets `intentBoost` added to its score: the
/// classifier has already said what the question is about, the search says which article answers it best.
public struct KnowledgeBase: Sendable {
    /// A ranked article.
    public struct Hit: Sendable, Hashable {
        public var article: KnowledgeArticle
        public var score: Double
        /// The section that matches the query best (nil when the article has none or none matches).
        public var section: KnowledgeArticle.Section?
    }

    public let articles: [KnowledgeArticle]
    public var intentBoost: Double
    /// Per language code; a language without rules is searched word for word.
    let searchRules: [String: SearchRules]
    let indexes: [String: (articles: [KnowledgeArticle], index: BM25Index)]
    /// Per article id, a BM25 index over its sections (heading counted twice), built once here rather than per query.
    let sectionIndexes: [String: BM25Index]

    /// `languages`: whose `search` rules tokenise each language's articles and questions (the shipped replies by
    /// default; the responder passes the ones it loaded).
    public init(articles: [KnowledgeArticle], intentBoost: Double = 2.0, languages: ReplyLanguages = .shipped) {
        self.articles = articles
        self.intentBoost = intentBoost
        let searchRules = Dictionary(uniqueKeysWithValues: languages.all.map { ($0.code, $0.search) })
        self.searchRules = searchRules
        var indexes: [String: (articles: [KnowledgeArticle], index: BM25Index)] = [:]
        for (language, group) in Dictionary(grouping: articles, by: \.language) {
            let sorted = group.sorted { $0.id < $1.id }
            let rules = searchRules[language] ?? .none
            let documents = sorted.map { article in
                let title = SearchTokenizer.tokens(article.title, rules)
                return title + title + title + SearchTokenizer.tokens(article.lead, rules)
                    + article.sections.flatMap { SearchTokenizer.tokens($0.heading + " " + $0.text, rules) }
            }
            indexes[language] = (sorted, BM25Index(documents: documents))
        }
        self.indexes = indexes
        var sectionIndexes: [String: BM25Index] = [:]
        for article in articles where !article.sections.isEmpty {
            sectionIndexes[article.id] = BM25Index(
                documents: article.sections.map {
                    SearchTokenizer.tokens(
                        $0.heading + " " + $0.heading + " " + $0.text, searchRules[article.language] ?? .none)
                }
            )
        }
        self.sectionIndexes = sectionIndexes
    }

    /// Loads every `*.md` file of a directory, in name order.
    public static func load(directory: String, intentBoost: Double = 2.0, languages: ReplyLanguages = .shipped)
        throws(ConfigurationFileError) -> KnowledgeBase
    {
        var articles: [KnowledgeArticle] = []
        for (file, text) in try ConfigurationFiles.readDirectory(
            directory, configuration: KnowledgeArticle.configuration, suffix: ".md")
        {
            articles.append(try KnowledgeArticle(markdown: text, file: file))
        }
        return KnowledgeBase(articles: articles, intentBoost: intentBoost, languages: languages)
    }

    /// Articles in `language` ranked for `query`, best first; articles scoring zero are left out.
    public func search(_ query: String, language: String, intent: String? = nil, limit: Int = 3) -> [Hit] {
        guard let entry = self.indexes[language] else { return [] }
        let tokens = SearchTokenizer.tokens(query, self.searchRules[language] ?? .none)
        let scores = entry.index.scores(tokens)
        var hits: [Hit] = []
        for (article, base) in zip(entry.articles, scores) {
            let score = base + (intent.map { article.intents.contains($0) } == true ? self.intentBoost : 0)
            guard score > 0 else { continue }
            hits.append(Hit(article: article, score: score, section: nil))
        }
        hits.sort { ($0.score, $1.article.id) > ($1.score, $0.article.id) }
        return hits.prefix(limit).map { hit in
            var hit = hit
            hit.section = self.bestSection(of: hit.article, tokens: tokens)
            return hit
        }
    }

    func bestSection(of article: KnowledgeArticle, tokens: [String]) -> KnowledgeArticle.Section? {
        guard let index = self.sectionIndexes[article.id] else { return nil }
        let scores = index.scores(tokens)
        guard let best = scores.indices.max(by: { scores[$0] < scores[$1] }), scores[best] > 0 else { return nil }
        return article.sections[best]
    }
}
