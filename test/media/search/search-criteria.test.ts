import assert from "node:assert/strict";
import { parseSearchCriteria, SEARCH_CAPABILITIES } from "../../../media/search/index.js";
import type { SearchExpression } from "../../../media/search/index.js";
import { UpnpError, upnpErrors } from "../../../media/soap/index.js";

const title = (value: string): SearchExpression => ({
  kind: "compare",
  property: "dc:title",
  operator: "=",
  value,
});

/** The UpnpError a parse throws, or a failure when it does not throw one. */
function parseError(text: string): UpnpError {
  try {
    parseSearchCriteria(text);
  } catch (err) {
    assert.ok(err instanceof UpnpError, `${JSON.stringify(text)} threw ${String(err)}`);
    return err;
  }
  assert.fail(`${JSON.stringify(text)} parsed`);
}

describe("SearchCriteria parsing", () => {
  it("advertises the searchable properties in order", () => {
    assert.equal(
      SEARCH_CAPABILITIES,
      "@id,@parentID,@refID,dc:title,dc:creator,dc:date,upnp:class,upnp:artist,upnp:album," +
        "upnp:genre,upnp:albumArtist,upnp:originalTrackNumber,res@size,res@duration,res@protocolInfo",
    );
  });

  it('reads "*", and blank criteria, as everything', () => {
    for (const text of ["*", "  *\t", "", " \t\r\n\v\f"]) {
      assert.equal(parseSearchCriteria(text), "all", JSON.stringify(text));
    }
  });

  it("reads each relational and string operator", () => {
    for (const operator of ["=", "!=", "<", "<=", ">", ">="] as const) {
      assert.deepEqual(parseSearchCriteria(`dc:title ${operator} "Gold"`), {
        kind: "compare",
        property: "dc:title",
        operator,
        value: "Gold",
      });
    }
    assert.deepEqual(parseSearchCriteria('upnp:artist contains "abba"'), {
      kind: "compare",
      property: "upnp:artist",
      operator: "contains",
      value: "abba",
    });
    assert.deepEqual(parseSearchCriteria('upnp:album doesNotContain "live"'), {
      kind: "compare",
      property: "upnp:album",
      operator: "doesNotContain",
      value: "live",
    });
    assert.deepEqual(parseSearchCriteria('upnp:class derivedfrom "object.item.audioItem"'), {
      kind: "compare",
      property: "upnp:class",
      operator: "derivedfrom",
      value: "object.item.audioItem",
    });
  });

  it("reads exists true and false", () => {
    assert.deepEqual(parseSearchCriteria("@refID exists true"), {
      kind: "exists",
      property: "@refID",
      isPresent: true,
    });
    assert.deepEqual(parseSearchCriteria("upnp:genre exists false"), {
      kind: "exists",
      property: "upnp:genre",
      isPresent: false,
    });
  });

  it("binds and tighter than or, and keeps runs of one operator flat", () => {
    assert.deepEqual(parseSearchCriteria('dc:title = "a" or dc:title = "b" and dc:title = "c"'), {
      kind: "or",
      operands: [title("a"), { kind: "and", operands: [title("b"), title("c")] }],
    });
    assert.deepEqual(parseSearchCriteria('dc:title = "a" and dc:title = "b" or dc:title = "c"'), {
      kind: "or",
      operands: [{ kind: "and", operands: [title("a"), title("b")] }, title("c")],
    });
    assert.deepEqual(parseSearchCriteria('dc:title = "a" and dc:title = "b" and dc:title = "c"'), {
      kind: "and",
      operands: [title("a"), title("b"), title("c")],
    });
  });

  it("lets parentheses override precedence and drops redundant ones", () => {
    assert.deepEqual(parseSearchCriteria('(dc:title = "a" or dc:title = "b") and dc:title = "c"'), {
      kind: "and",
      operands: [{ kind: "or", operands: [title("a"), title("b")] }, title("c")],
    });
    assert.deepEqual(parseSearchCriteria('((( dc:title = "a" )))'), title("a"));
    assert.deepEqual(
      parseSearchCriteria('(dc:title = "a" and dc:title = "b") and dc:title = "c"'),
      {
        kind: "and",
        operands: [{ kind: "and", operands: [title("a"), title("b")] }, title("c")],
      },
    );
  });

  it('undoes the \\" and \\\\ escapes and keeps any other backslash', () => {
    assert.deepEqual(parseSearchCriteria('dc:title = "say \\"hi\\" \\\\ there"'), {
      kind: "compare",
      property: "dc:title",
      operator: "=",
      value: 'say "hi" \\ there',
    });
    assert.deepEqual(parseSearchCriteria('dc:title = "AC\\DC"'), title("AC\\DC"));
    assert.deepEqual(parseSearchCriteria('dc:title = ""'), title(""));
    assert.deepEqual(parseSearchCriteria('dc:title = "( and ) or *"'), title("( and ) or *"));
  });

  it("accepts every spec whitespace, and none around symbols", () => {
    const expected = {
      kind: "and",
      operands: [
        title("a"),
        { kind: "compare", property: "upnp:class", operator: "derivedfrom", value: "object.item" },
      ],
    };
    const variants = [
      'dc:title = "a" and upnp:class derivedfrom "object.item"',
      'dc:title\t=\t"a"\r\nand\vupnp:class\fderivedfrom  "object.item"',
      '(dc:title="a")and(upnp:class derivedfrom"object.item")',
      '  dc:title="a"   and upnp:class derivedfrom "object.item"  ',
    ];
    for (const text of variants) assert.deepEqual(parseSearchCriteria(text), expected, text);
  });

  it("reads keywords in any case, property names only as written", () => {
    assert.deepEqual(
      parseSearchCriteria(
        'upnp:class DERIVEDFROM "object.item" AND dc:title CONTAINS "a" Or dc:title DoesNotContain "b" oR @refID EXISTS True',
      ),
      {
        kind: "or",
        operands: [
          {
            kind: "and",
            operands: [
              {
                kind: "compare",
                property: "upnp:class",
                operator: "derivedfrom",
                value: "object.item",
              },
              { kind: "compare", property: "dc:title", operator: "contains", value: "a" },
            ],
          },
          { kind: "compare", property: "dc:title", operator: "doesNotContain", value: "b" },
          { kind: "exists", property: "@refID", isPresent: true },
        ],
      },
    );
    assert.equal(parseError('DC:TITLE = "a"').code, upnpErrors.unsupportedSearchCriteria);
  });

  it("parses what BubbleUPnP, Kodi and Windows Media Player send", () => {
    assert.deepEqual(
      parseSearchCriteria(
        '(upnp:class derivedfrom "object.item.audioItem") and (dc:title contains "love")',
      ),
      {
        kind: "and",
        operands: [
          {
            kind: "compare",
            property: "upnp:class",
            operator: "derivedfrom",
            value: "object.item.audioItem",
          },
          { kind: "compare", property: "dc:title", operator: "contains", value: "love" },
        ],
      },
    );
    assert.deepEqual(
      parseSearchCriteria(
        'upnp:class = "object.container.person.musicArtist" and dc:title contains "x"',
      ),
      {
        kind: "and",
        operands: [
          {
            kind: "compare",
            property: "upnp:class",
            operator: "=",
            value: "object.container.person.musicArtist",
          },
          { kind: "compare", property: "dc:title", operator: "contains", value: "x" },
        ],
      },
    );
    assert.deepEqual(
      parseSearchCriteria(
        'upnp:class derivedfrom "object.item.audioItem" and @refID exists false and res@protocolInfo contains "audio/mpeg"',
      ),
      {
        kind: "and",
        operands: [
          {
            kind: "compare",
            property: "upnp:class",
            operator: "derivedfrom",
            value: "object.item.audioItem",
          },
          { kind: "exists", property: "@refID", isPresent: false },
          {
            kind: "compare",
            property: "res@protocolInfo",
            operator: "contains",
            value: "audio/mpeg",
          },
        ],
      },
    );
  });

  it("reads numbers and durations for numeric properties", () => {
    assert.deepEqual(parseSearchCriteria('res@size >= "1000000"'), {
      kind: "compare",
      property: "res@size",
      operator: ">=",
      value: "1000000",
    });
    assert.deepEqual(parseSearchCriteria('res@duration < "0:03:20.500"'), {
      kind: "compare",
      property: "res@duration",
      operator: "<",
      value: "0:03:20.500",
    });
    assert.deepEqual(parseSearchCriteria('upnp:originalTrackNumber contains "1"'), {
      kind: "compare",
      property: "upnp:originalTrackNumber",
      operator: "contains",
      value: "1",
    });
  });

  const invalid: ReadonlyArray<[string, string, RegExp]> = [
    ["unknown property", 'dc:description contains "x"', /unsupported property "dc:description"/],
    ["property in another case", 'DC:TITLE = "a"', /unsupported property "DC:TITLE"/],
    ["upnp:artist@role", 'upnp:artist@role = "AlbumArtist"', /unsupported property/],
    ["unknown word operator", 'dc:title like "x"', /expected an operator, found "like"/],
    ["doubled =", 'dc:title == "x"', /expected a quoted value, found "="/],
    ["<>", 'dc:title <> "x"', /expected a quoted value, found ">"/],
    ["lone !", 'dc:title ! "x"', /"!" without "="/],
    ["unquoted value", "dc:title = Gold", /expected a quoted value, found "Gold"/],
    ["single quotes", "dc:title = 'Gold'", /expected a quoted value, found "'Gold'"/],
    ["unterminated value", 'dc:title = "Gold', /unterminated quoted value starting at 11/],
    ["escaped closing quote", 'dc:title = "Gold\\"', /unterminated/],
    ["property alone", "dc:title", /expected an operator at the end/],
    ["operator without value", "dc:title =", /expected a quoted value at the end/],
    ["value alone", '"Gold"', /expected a property, found a quoted value/],
    ["exists with a quoted value", 'dc:title exists "true"', /expected true or false/],
    ["exists with another word", "dc:title exists yes", /expected true or false, found "yes"/],
    ["exists without value", "dc:title exists", /expected true or false at the end/],
    ["dangling and", 'dc:title = "a" and', /expected an expression at the end/],
    ["leading or", 'or dc:title = "a"', /unsupported property "or"/],
    ["doubled or", 'dc:title = "a" or or dc:title = "b"', /unsupported property "or"/],
    ["missing logical operator", 'dc:title = "a" dc:album = "b"', /unexpected "dc:album"/],
    ["trailing value", 'dc:title = "a" "b"', /unexpected a quoted value/],
    ["unclosed parenthesis", '(dc:title = "a"', /expected "\)" at the end/],
    ["extra parenthesis", 'dc:title = "a")', /unexpected "\)"/],
    ["empty parentheses", "()", /expected a property, found "\)"/],
    ["star in an expression", '* and dc:title = "a"', /unsupported property "\*"/],
    ["two stars", "* *", /unsupported property "\*"/],
    ["stray character", 'dc:title = "a" & dc:title = "b"', /unexpected "&"/],
    ["derivedfrom on text", 'dc:title derivedfrom "a"', /derivedfrom applies to upnp:class only/],
    ["size not a number", 'res@size > "big"', /res@size > needs a number, got "big"/],
    ["track number empty", 'upnp:originalTrackNumber = ""', /needs a number/],
    ["duration in words", 'res@duration > "5 minutes"', /needs a duration H:MM:SS/],
    ["duration out of range", 'res@duration > "0:61:00"', /needs a duration/],
  ];

  for (const [name, text, detail] of invalid) {
    it(`refuses ${name} with 708`, () => {
      const error = parseError(text);
      assert.equal(error.code, upnpErrors.unsupportedSearchCriteria);
      assert.equal(error.description, "Unsupported or invalid search criteria");
      assert.match(error.message, detail);
    });
  }

  it("refuses criteria longer than 4096 characters, and accepts 4096", () => {
    const padded = (length: number): string => {
      const start = 'dc:title = "';
      return `${start}${"x".repeat(length - start.length - 1)}"`;
    };
    assert.equal(padded(4096).length, 4096);
    assert.deepEqual(parseSearchCriteria(padded(4096)), title("x".repeat(4096 - 13)));
    assert.match(parseError(padded(4097)).message, /4097 characters, more than 4096/);
  });

  it("refuses nesting deeper than 32 parentheses, and accepts 32", () => {
    const nested = (depth: number): string =>
      `${"(".repeat(depth)}dc:title = "a"${")".repeat(depth)}`;
    assert.deepEqual(parseSearchCriteria(nested(32)), title("a"));
    assert.match(parseError(nested(33)).message, /nested deeper than 32 at 32/);
    assert.match(parseError("(".repeat(4000)).message, /nested deeper than 32/);
  });

  it("refuses a value that is not text", () => {
    assert.throws(
      () => parseSearchCriteria(undefined as unknown as string),
      (err: unknown) => err instanceof UpnpError && err.code === 708,
    );
  });
});
