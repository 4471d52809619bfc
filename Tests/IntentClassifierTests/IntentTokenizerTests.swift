import Testing

@testable import IntentClassifier

@Suite struct IntentTokenizerTests {
    @Test(arguments: [
        ("I'm still waiting on my card!", ["im", "still", "waiting", "on", "my", "card"]),
        ("Don’t CHARGE me £1,000.50 twice", ["dont", "charge", "me", "#cur", "#num", "twice"]),
        ("Café Überweisung Straße", ["cafe", "uberweisung", "strasse"]),
        ("e\u{301}tat ÆON", ["etat", "aeon"]),
        ("top-up at 10am, please", ["top", "up", "at", "#num", "am", "please"]),
        ("$20 or 20$ or 3.", ["#cur", "#num", "or", "#num", "#cur", "or", "#num"]),
        ("🙂 hello!!   (world)", ["hello", "world"]),
        ("version 1.2.3 and 4,5", ["version", "#num", "and", "#num"]),
        ("'quoted' rock'n'roll", ["quoted", "rocknroll"]),
        ("", []),
        ("?!... 🙂", []),
    ])
    func normalisesAndSplits(text: String, expected: [String]) {
        #expect(IntentTokenizer.tokens(text) == expected)
    }

    @Test func nonLatinLettersAreKeptLowercased() {
        #expect(IntentTokenizer.tokens("Карта ΚΆΡΤΑ") == ["карта", "καρτα"])
    }

    @Test func characterNGramsStayInsideWords() {
        var extractor = FeatureExtractor(
            settings: FeatureSettings(maxWordNGram: 2, charNGrams: 2...3, wordWeight: 1, charWeight: 1))
        extractor.extract("ab cd")
        // " ab " gives " a", "ab", "b ", " ab", "ab " (5); the same for " cd "; no n-gram spans "b c".
        #expect(extractor.charKeys.count == 10)
        // Two unigrams and one bigram.
        #expect(extractor.wordKeys.count == 3)
        var other = extractor
        other.extract("cd ab")
        #expect(Set(other.charKeys) == Set(extractor.charKeys))
        #expect(Set(other.wordKeys) != Set(extractor.wordKeys))  // the bigram is ordered
    }

    @Test func numbersShareOnePlaceholderFeature() {
        var extractor = FeatureExtractor(
            settings: FeatureSettings(maxWordNGram: 1, charNGrams: 2...5, wordWeight: 1, charWeight: 1))
        extractor.extract("fee 12")
        let first = extractor.wordKeys
        extractor.extract("fee 9,999.99")
        #expect(extractor.wordKeys == first)
    }
}
