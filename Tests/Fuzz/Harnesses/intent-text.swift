// Compiled into the module IntentClassifier with all its sources. Every inquiry's text goes through the tokenizer,
// the feature extractor and the model. Properties: no crash; tokens are non-empty and lower-case ASCII letters or
// non-ASCII bytes (never ASCII upper case, digits, spaces or punctuation besides the placeholders); the prediction's
// confidences are finite probabilities.

private let model: IntentModel = {
    var examples: [LabeledText] = []
    let texts: [(String, String)] = [
        ("where is my refund", "refund"), ("has my refund been processed", "refund"),
        ("refund not received yet", "refund"),
        ("when is my next payment due", "due_date"), ("next instalment date please", "due_date"),
        ("when do I pay next", "due_date"), ("I want to talk to a human", "human"),
        ("can I speak to an agent", "human"),
        ("real person please", "human"),
    ]
    for (text, label) in texts { examples.append(LabeledText(text: text, label: label)) }
    var options = TrainingOptions()
    options.minDocumentFrequency = 1
    options.epochs = 3
    return IntentModel.train(examples, options: options)
}()

private let settingsChoices: [FeatureSettings] = [
    FeatureSettings(maxWordNGram: 2, charNGrams: 2...5, wordWeight: 1, charWeight: 1),
    FeatureSettings(
        maxWordNGram: 1, charNGrams: 1...1, skipGramWindow: 3, crossWordChars: true, wordWeight: 1, charWeight: 0.5),
    FeatureSettings(
        maxWordNGram: 2, charNGrams: 3...64, skipGramWindow: 64, crossWordChars: false, wordWeight: 0, charWeight: 1),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIntentText(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let text = input.lossyText
    for token in IntentTokenizer.tokens(text)
    where token != IntentTokenizer.numberToken && token != IntentTokenizer.currencyToken {
        fuzzCheck(!token.isEmpty, "empty token")
        fuzzCheck(
            token.utf8.allSatisfy { $0 >= 0x80 || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) },
            "token \(Array(token.utf8)) has ASCII other than a-z")
    }
    var extractor = FeatureExtractor(settings: settingsChoices[Int(input.bytes.first ?? 0) % settingsChoices.count])
    extractor.extract(text)
    let prediction = model.predict(text, top: Int(input.bytes.last ?? 3) % 5)
    for candidate in prediction.ranked {
        fuzzCheck(
            candidate.confidence.isFinite && (0...1.0001).contains(candidate.confidence),
            "confidence \(candidate.confidence)")
    }
    return 0
}
