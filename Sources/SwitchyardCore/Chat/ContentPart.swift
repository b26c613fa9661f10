/// One part of an array content: text, an image, audio, a file, a refusal, or a part type this
/// gateway does not know (kept whole in `extra`).
public struct ContentPart: Sendable, Hashable {
    public var type: PartType
    public var text: String?
    public var imageURL: ImageURL?
    public var inputAudio: InputAudio?
    public var file: File?
    public var refusal: String?
    /// Other members, e.g. Anthropic-style `cache_control`, or the payload of an unknown type.
    public var extra: [String: JSONValue]

    public init(
        type: PartType, text: String? = nil, imageURL: ImageURL? = nil, inputAudio: InputAudio? = nil,
        file: File? = nil, refusal: String? = nil, extra: [String: JSONValue] = [:]
    ) {
        self.type = type
        self.text = text
        self.imageURL = imageURL
        self.inputAudio = inputAudio
        self.file = file
        self.refusal = refusal
        self.extra = extra
    }

    public static func text(_ text: String) -> ContentPart { .init(type: .text, text: text) }
    public static func image(url: String, detail: String? = nil) -> ContentPart {
        .init(type: .imageURL, imageURL: .init(url: url, detail: detail))
    }
    public static func audio(data: String, format: String) -> ContentPart {
        .init(type: .inputAudio, inputAudio: .init(data: data, format: format))
    }

    public struct PartType: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { self.rawValue = value }
        public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }
        public static let text: PartType = "text"
        public static let imageURL: PartType = "image_url"
        public static let inputAudio: PartType = "input_audio"
        public static let file: PartType = "file"
        public static let refusal: PartType = "refusal"
    }

    public struct ImageURL: Sendable, Hashable, Codable {
        public var url: String
        /// `auto`, `low` or `high`.
        public var detail: String?
        public var extra: [String: JSONValue]
        public init(url: String, detail: String? = nil, extra: [String: JSONValue] = [:]) {
            self.url = url
            self.detail = detail
            self.extra = extra
        }
        static let knownKeys: Set<String> = ["url", "detail"]

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: AnyCodingKey.self)
            url = try c.required(String.self, "url")
            detail = try c.optional(String.self, "detail")
            extra = try decoder.decodeExtra(known: Self.knownKeys)
        }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: AnyCodingKey.self)
            try c.encodeExtra(extra)
            try c.encode(url, forKey: "url")
            try c.put(detail, "detail")
        }
    }

    public struct InputAudio: Sendable, Hashable, Codable {
        /// Base64-encoded audio.
        public var data: String
        /// `wav` or `mp3`.
        public var format: String
        public var extra: [String: JSONValue]
        public init(data: String, format: String) {
            self.init(data: data, format: format, extra: [:])
        }
        public init(data: String, format: String, extra: [String: JSONValue]) {
            self.data = data
            self.format = format
            self.extra = extra
        }
        static let knownKeys: Set<String> = ["data", "format"]

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: AnyCodingKey.self)
            data = try c.required(String.self, "data")
            format = try c.required(String.self, "format")
            extra = try decoder.decodeExtra(known: Self.knownKeys)
        }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: AnyCodingKey.self)
            try c.encodeExtra(extra)
            try c.encode(data, forKey: "data")
            try c.encode(format, forKey: "format")
        }
    }

    public struct File: Sendable, Hashable, Codable {
        /// A data URL or raw base64 of the file.
        public var fileData: String?
        public var fileID: String?
        public var filename: String?
        public var extra: [String: JSONValue]
        public init(fileData: String? = nil, fileID: String? = nil, filename: String? = nil, extra: [String: JSONValue] = [:]) {
            self.fileData = fileData
            self.fileID = fileID
            self.filename = filename
            self.extra = extra
        }
        static let knownKeys: Set<String> = ["file_data", "file_id", "filename"]

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: AnyCodingKey.self)
            fileData = try c.optional(String.self, "file_data")
            fileID = try c.optional(String.self, "file_id")
            filename = try c.optional(String.self, "filename")
            extra = try decoder.decodeExtra(known: Self.knownKeys)
        }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: AnyCodingKey.self)
            try c.encodeExtra(extra)
            try c.put(fileData, "file_data")
            try c.put(fileID, "file_id")
            try c.put(filename, "filename")
        }
    }
}

extension ContentPart: Codable {
    static let knownKeys: Set<String> = ["type", "text", "image_url", "input_audio", "file", "refusal"]


    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        type = try c.required(PartType.self, "type")
        text = try c.optional(String.self, "text")
        imageURL = try c.optional(ImageURL.self, "image_url")
        inputAudio = try c.optional(InputAudio.self, "input_audio")
        file = try c.optional(File.self, "file")
        refusal = try c.optional(String.self, "refusal")
        extra = try decoder.decodeExtra(known: Self.knownKeys)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encodeExtra(extra)
        try c.encode(type, forKey: "type")
        try c.put(text, "text")
        try c.put(imageURL, "image_url")
        try c.put(inputAudio, "input_audio")
        try c.put(file, "file")
        try c.put(refusal, "refusal")
    }
}
