import ConciergeSupport
import Foundation

extension IntentModel {
    /// Trains a model on `examples`. Deterministic: the same examples (in the same order), options and seed give
    /// the same model, bit for bit.
    ///
    /// Steps: build the vocabulary of word and character n-grams (dropping those in fewer than
    /// ``TrainingOptions/minDocumentFrequency`` texts) and their smoothed idf `ln((1 + n) / (1 + df)) + 1`; if
    /// ``TrainingOptions/calibrationFraction`` is positive and the data is large enough, fit on a stratified
    /// split and choose the softmax temperature that minimises the held-out log-loss; then fit on all examples.
    ///
    /// - Precondition: `examples` is not empty.
    public static func train(_ examples: [LabeledText], options: TrainingOptions = .init()) -> IntentModel {
        precondition(!examples.isEmpty, "IntentModel.train needs at least one example")
        var labels = Array(Set(examples.map(\.label))).sorted()
        if let negative = options.negativeLabel, labels.count > 1 { labels.removeAll { $0 == negative } }
        let labelIndex = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, Int32($0)) })
        let settings = FeatureSettings(
            maxWordNGram: max(1, min(2, options.maxWordNGram)),
            charNGrams: options.charNGrams,
            skipGramWindow: max(0, options.skipGramWindow),
            crossWordChars: options.crossWordChars,
            wordWeight: Float(options.wordWeight),
            charWeight: Float(options.charWeight)
        )

        // Vocabulary and document frequencies, features in order of first appearance.
        var extractor = FeatureExtractor(settings: settings)
        var documentFrequency: [UInt64: Int32] = [:]
        var firstSeen: [UInt64] = []
        var unique: [UInt64] = []
        for example in examples {
            extractor.extract(example.text)
            unique.removeAll(keepingCapacity: true)
            unique.append(contentsOf: extractor.wordKeys)
            unique.append(contentsOf: extractor.charKeys)
            var seenInText = Set<UInt64>(minimumCapacity: unique.count)
            for key in unique where seenInText.insert(key).inserted {
                if let count = documentFrequency[key] {
                    documentFrequency[key] = count + 1
                } else {
                    documentFrequency[key] = 1
                    firstSeen.append(key)
                }
            }
        }
        let minimum = Int32(max(1, options.minDocumentFrequency))
        let kept = firstSeen.filter { documentFrequency[$0]! >= minimum }
        let documents = Float(examples.count)
        let idf = kept.map { logf((1 + documents) / (1 + Float(documentFrequency[$0]!))) + 1 }
        let vectorizer = Vectorizer(settings: settings, table: FeatureTable(keys: kept), idf: idf)

        var matrix = SparseMatrix()
        var scratch = vectorizer.makeScratch()
        for example in examples {
            vectorizer.vectorize(example.text, &scratch)
            matrix.appendRow(indices: scratch.indices, values: scratch.values)
        }
        // A negative's target is -1: the uniform distribution over the labels.
        let targets = examples.map { labelIndex[$0.label] ?? -1 }
        let stride = (labels.count + 7) / 8 * 8
        let trainer = SoftmaxTrainer(
            matrix: matrix, targets: targets, featureCount: kept.count, labelCount: labels.count, stride: stride,
            options: options
        )
        var rng = SplitMix64(seed: options.seed)

        var temperature: Float = 1
        if let (fitRows, heldOutRows) = calibrationSplit(
            targets, labelCount: labels.count, options: options, rng: &rng)
        {
            let parameters = trainer.fit(rows: fitRows, rng: &rng)
            temperature = fitTemperature(parameters, trainer: trainer, rows: heldOutRows)
        }
        var parameters = trainer.fit(rows: Array(0..<examples.count), rng: &rng)
        for i in parameters.weights.indices { parameters.weights[i] = BFloat16.round(parameters.weights[i]) }
        return IntentModel(
            labels: labels, vectorizer: vectorizer, weights: parameters.weights, bias: parameters.bias,
            stride: stride, temperature: temperature
        )
    }

    /// A stratified split for calibration, or nil when there is too little data to hold any out.
    private static func calibrationSplit(
        _ targets: [Int32], labelCount: Int, options: TrainingOptions, rng: inout SplitMix64
    ) -> (fit: [Int], heldOut: [Int])? {
        let fraction = options.calibrationFraction
        guard fraction > 0, fraction < 1, Double(targets.count) * fraction >= 20 else { return nil }
        var byLabel = [[Int]](repeating: [], count: labelCount + 1)  // the last: negatives
        for (row, target) in targets.enumerated() { byLabel[target < 0 ? labelCount : Int(target)].append(row) }
        var fit: [Int] = []
        var heldOut: [Int] = []
        for var rows in byLabel {
            rng.shuffle(&rows)
            let count = rows.count >= 2 ? min(rows.count - 1, Int((Double(rows.count) * fraction).rounded())) : 0
            heldOut.append(contentsOf: rows.prefix(count))
            fit.append(contentsOf: rows.dropFirst(count))
        }
        guard !heldOut.isEmpty else { return nil }
        return (fit.sorted(), heldOut.sorted())
    }

    /// The temperature in `[0.05, 20]` minimising the log-loss of `rows` (golden-section search on its logarithm).
    private static func fitTemperature(
        _ parameters: SoftmaxTrainer.Parameters, trainer: SoftmaxTrainer, rows: [Int]
    ) -> Float {
        let stride = trainer.stride
        let labelCount = trainer.labelCount
        // Scores of the held-out rows, computed once.
        var scores = [Float](repeating: 0, count: rows.count * stride)
        scores.withUnsafeMutableBufferPointer { scores in
            parameters.weights.withUnsafeBufferPointer { w in
                trainer.matrix.indices.withUnsafeBufferPointer { indices in
                    trainer.matrix.values.withUnsafeBufferPointer { values in
                        for (n, row) in rows.enumerated() {
                            let out = scores.baseAddress! + n * stride
                            for c in 0..<stride { out[c] = parameters.bias[c] }
                            let range = trainer.matrix.rowStart[row]..<trainer.matrix.rowStart[row + 1]
                            LinearAlgebra.accumulate(
                                into: out, weights: w.baseAddress!, stride: stride,
                                indices: UnsafeBufferPointer(rebasing: indices[range]),
                                values: UnsafeBufferPointer(rebasing: values[range]))
                        }
                    }
                }
            }
        }
        func loss(_ logTemperature: Double) -> Double {
            let inverse = exp(-logTemperature)
            var total = 0.0
            for (n, row) in rows.enumerated() {
                let base = n * stride
                var maximum = -Double.infinity
                for c in 0..<labelCount { maximum = max(maximum, Double(scores[base + c]) * inverse) }
                var sum = 0.0
                for c in 0..<labelCount { sum += exp(Double(scores[base + c]) * inverse - maximum) }
                let target = Int(trainer.targets[row])
                if target >= 0 {
                    total += log(sum) + maximum - Double(scores[base + target]) * inverse
                } else {
                    // Cross-entropy against the uniform distribution.
                    var mean = 0.0
                    for c in 0..<labelCount { mean += Double(scores[base + c]) * inverse }
                    total += log(sum) + maximum - mean / Double(labelCount)
                }
            }
            return total / Double(rows.count)
        }
        var low = log(0.05)
        var high = log(20.0)
        let ratio = (5.0.squareRoot() - 1) / 2
        var a = high - ratio * (high - low)
        var b = low + ratio * (high - low)
        var lossA = loss(a)
        var lossB = loss(b)
        for _ in 0..<40 {
            if lossA < lossB {
                high = b
                b = a
                lossB = lossA
                a = high - ratio * (high - low)
                lossA = loss(a)
            } else {
                low = a
                a = b
                lossA = lossB
                b = low + ratio * (high - low)
                lossB = loss(b)
            }
        }
        return Float(exp((low + high) / 2))
    }
}
