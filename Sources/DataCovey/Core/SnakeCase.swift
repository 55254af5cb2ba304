extension String {
    /// `maxBadRecords` → `max_bad_records`: a Swift name as the API spells it. Error messages
    /// name fields and codes the way clients wrote or will read them.
    var snakeCased: String {
        reduce(into: "") { text, character in
            if character.isUppercase { text += "_" + character.lowercased() } else { text.append(character) }
        }
    }
}
