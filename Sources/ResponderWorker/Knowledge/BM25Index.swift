import Foundation

/// Okapi BM25 over a small set of documents (k1 = 1.2, b = 0.75, the usual defaults).
struct BM25Index: Sendable {
    struct Document: Sendable {
        var termFrequencies: [String: Int]
        var length: Int
    }

    let documents: [Document]
    let documentFrequencies: [String: Int]
    let averageLength: Double
    let k1: Double = 1.2
    let b: Double = 0.75

    init(documents tokenized: [[String]]) {
        var frequencies: [String: Int] = [:]
        self.documents = tokenized.map { tokens in
            var counts: [String: Int] = [:]
            for token in tokens { counts[token, default: 0] += 1 }
            for term in counts.keys { frequencies[term, default: 0] += 1 }
            return Document(termFrequencies: counts, length: tokens.count)
        }
        self.documentFrequencies = frequencies
        let total = self.documents.reduce(0) { $0 + $1.length }
        self.averageLength = self.documents.isEmpty ? 1 : max(1, Double(total) / Double(self.documents.count))
    }

    /// The BM25 score of every document for the query tokens (duplicates in the query count once).
    func scores(_ query: [String]) -> [Double] {
        let n = Double(self.documents.count)
        let terms = Set(query)
        return self.documents.map { document in
            var score = 0.0
            for term in terms {
                guard let tf = document.termFrequencies[term], let df = self.documentFrequencies[term] else { continue }
                let idf = log(1 + (n - Double(df) + 0.5) / (Double(df) + 0.5))
                let frequency = Double(tf)
                score +=
                    idf * frequency * (self.k1 + 1)
                    / (frequency + self.k1 * (1 - self.b + self.b * Double(document.length) / self.averageLength))
            }
            return score
        }
    }
}
