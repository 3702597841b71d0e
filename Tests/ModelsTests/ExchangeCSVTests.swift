import Models
import Testing

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

private func problem(_ body: () throws -> Void) -> FileProblem? {
    do {
        try body()
        return nil
    } catch let error as FileProblem {
        return error
    } catch {
        return nil
    }
}

@Suite("CSV reading and the patient import format")
struct ExchangeCSVTests {
    @Test("a BOM is dropped, semicolons are detected, quotes hold quotes, delimiters and line breaks")
    func quotedFields() throws {
        let text = "\u{FEFF}first;last;notes\r\n\"Ana\";\"Silva; \"\"Nana\"\"\";\"two\nlines\"\r\nBo;Li;x\r\n"
        let records = try CSVReader.records(bytes(text))
        #expect(records.count == 3)
        #expect(records[0].fields == ["first", "last", "notes"])
        #expect(records[1].fields == ["Ana", "Silva; \"Nana\"", "two\nlines"])
        #expect(records[1].line == 2)
        #expect(records[2].line == 4, "a record after an embedded line break starts on the next physical line")
    }

    @Test("read in chunks of any size, a stream gives the same records as the whole file, quotes split across chunks included",
          arguments: [1, 2, 3, 5, 7, 16, 64])
    func chunked(size: Int) throws {
        let text = "\u{FEFF}first;last;notes\r\n\"Ana\";\"Silva; \"\"Nana\"\"\";\"two\nlines\"\r\n\r\nBo;Li;\"\"\"x\"\"\"\r\nZé;\"\";end"
        let data = bytes(text)
        var offset = 0
        var stream = CSVStream(totalBytes: data.count, chunkSize: size) { target in
            let length = min(target.count, data.count - offset)
            data.withUnsafeBytes { target.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<offset + length])) }
            offset += length
            return length
        }
        var records: [CSVRecord] = []
        while let record = try stream.next() { records.append(record) }
        #expect(records == (try CSVReader.records(data)))
        #expect(records.map(\.fields) == [["first", "last", "notes"], ["Ana", "Silva; \"Nana\"", "two\nlines"], ["Bo", "Li", "\"x\""], ["Zé", "", "end"]])
        #expect(records.map(\.line) == [1, 2, 5, 6])
        #expect(stream.bytesRead == data.count)
        #expect(problem {
            var broken = CSVStream(totalBytes: nil, chunkSize: size, fill: { _ in 0 })
            _ = try broken.next()
            throw FileProblem(line: 0, message: "an empty stream has no records")
        }?.line == 0)
    }

    @Test("commas win when the header has more commas than semicolons")
    func delimiter() {
        #expect(CSVReader.detectDelimiter(bytes("first,last,dob\n")) == UInt8(ascii: ","))
        #expect(CSVReader.detectDelimiter(bytes("first;last;dob\n")) == UInt8(ascii: ";"))
        #expect(CSVReader.detectDelimiter(bytes("\"a,b\";c;d\n")) == UInt8(ascii: ";"))
    }

    @Test("structural problems name the line and column")
    func structure() {
        #expect(problem { _ = try CSVReader.records(bytes("a,b\n1,\"open\n2,3\n")) }?.description.hasPrefix("line 2, column 2") == true)
        #expect(problem { _ = try CSVReader.records(bytes("a,b\n1,\"x\"y\n")) }?.line == 2)
        #expect(problem { _ = try CSVReader.records(bytes("a,b\n") + [0x31, 0x2C, 0xFF, 0x0A]) }?.description == "line 2, column 2: is not valid UTF-8 text")
    }

    @Test("header aliases from other systems map to the import's fields", arguments: [
        ("first,last,dob", true), ("First_Name,Last_Name,Date_of_Birth,Mobile,E-mail", true), ("given;family;birthdate", true),
        ("firstname,surname,DOB,phone_number,email_address", true), ("first,last", false),
    ])
    func headers(header: String, accepted: Bool) {
        let cells = header.split(whereSeparator: { $0 == "," || $0 == ";" }).map(String.init)
        #expect(((try? PatientCSV.columns(header: cells, line: 1)) != nil) == accepted)
    }

    @Test("dates of birth in each format", arguments: [
        (CSVDateFormat.iso, "1980-04-02", "1980-04-02"), (.dmy, "02/04/1980", "1980-04-02"), (.mdy, "04/02/1980", "1980-04-02"),
        (.dmy, "2.4.1980", "1980-04-02"), (.dmy, "31/02/1980", ""), (.iso, "02/04/1980", ""), (.mdy, "13/01/1980", ""),
    ])
    func dates(format: CSVDateFormat, text: String, expected: String) {
        #expect(format.parse(text)?.description ?? "" == expected)
    }

    @Test("every bad row is reported by line and column, never with its value")
    func rowProblems() throws {
        let text = "first,last,dob,phone,email\nAna,Silva,1980-04-02,,\n,Quasimodo,1980-04-02,,\nBo,Li,02/04/1980,12,bo@\nCy,Ng,2030-01-01,,\n"
        let result = try PatientCSV.rows(try CSVReader.records(bytes(text)), dateFormat: .iso, today: date("2026-11-23"))
        #expect(result.patients.map(\.line) == [2])
        #expect(result.problems.map(\.description) == [
            "line 3, column 1 (first): a first name of 1–100 characters is required",
            "line 4, column 3 (dob): a real date written YYYY-MM-DD is required (for DD/MM/YYYY use the date format dmy)",
            "line 4, column 4 (phone): a phone number needs at least 7 digits (at most 30 characters)",
            "line 4, column 5 (email): an e-mail address must look like name@example.org",
            "line 5, column 3 (dob): the date of birth must be between 1900-01-01 and today",
        ])
        #expect(!result.problems.map(\.description).joined().contains("Quasimodo"))
    }

    @Test("duplicates: same folded name and date of birth as a registered patient or an earlier row")
    func duplicates() throws {
        let text = "first,last,dob\nHélène,Côté,1975-06-01\nhelene,COTE,1975-06-01\nAna,Silva,1980-04-02\nAna,Silva,1981-04-02\n"
        let rows = try PatientCSV.rows(try CSVReader.records(bytes(text)), dateFormat: .iso, today: date("2026-11-23")).patients
        let existing = [PatientCSV.duplicateKey(first: "Ana", last: "Silva", dateOfBirth: date("1980-04-02")): "MTL-000007"]
        let found = PatientCSV.duplicates(rows, existing: existing)
        #expect(found.map(\.description) == ["line 3 repeats line 2", "line 4 matches MTL-000007"])
    }
}
