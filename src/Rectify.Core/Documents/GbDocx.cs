using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Rectify.Core.Documents;

/// <summary>
/// The page and paragraph rules of GB/T 9704-2012 (domain.md §6) in OpenXML, shared by the notice and plan writers.
/// Every length is in twips (1/1440 inch); 1 mm ≈ 56.69 twips.
/// </summary>
internal static class GbDocx
{
    public const int PageWidth = 11906, PageHeight = 16838;
    /// <summary>37, 35, 28 and 26 mm: a 156 × 225 mm text block.</summary>
    public const int MarginTop = 2098, MarginBottom = 1984, MarginLeft = 1587, MarginRight = 1474;
    public const int HeaderDistance = 851;
    /// <summary>
    /// The footer's bottom edge sits 23 mm above the paper's; with a 14 pt line its top is 28 mm up, i.e. 7 mm below the
    /// text block.
    /// </summary>
    public const int FooterDistance = 1304;
    public const int LinesPerPage = 22, CharsPerLine = 28;
    public const int TextWidth = PageWidth - MarginLeft - MarginRight;
    public const int TextHeight = PageHeight - MarginTop - MarginBottom;
    /// <summary>12756 / 22, rounded down so that 22 lines fit: 579 twips ≈ 28.95 pt.</summary>
    public const int LinePitch = TextHeight / LinesPerPage;

    /// <summary>One grid character: 8845 / 28 ≈ 316 twips.</summary>
    public const decimal CharPitch = (decimal)TextWidth / CharsPerLine;

    /// <summary>
    /// docGrid charSpace, written for Word's page setup dialog (the grid is of type lines, so it does not act; the
    /// 28 characters come from <see cref="BodyTracking"/>): how far the grid's character pitch differs from the body size, in 1/4096 pt
    /// ((15.79 pt − 16 pt) × 4096 ≈ −841).
    /// </summary>
    public static int CharSpace(DocumentStyle style) =>
        (int)Math.Round((CharPitch / 20m - style.BodyHalfPoints / 2m) * 4096m, MidpointRounding.AwayFromZero);

    /// <summary>Title characters that fit on one line: 8845 / 440 → 20 at 2号.</summary>
    public static int TitleCharsPerLine(DocumentStyle style) => TextWidth / (style.TitleHalfPoints * 10);

    /// <summary>The title paragraph: centred, off the grid at its own exact line height, broken at a word boundary.</summary>
    public static Paragraph Title(string title, DocumentStyle style)
    {
        var p = new Paragraph(ParaProps(JustificationValues.Center, NoIndent(), snapToGrid: false));
        var lines = DocumentText.TitleLines(title, TitleCharsPerLine(style));
        for (var i = 0; i < lines.Count; i++)
        {
            var run = Run(lines[i], style.TitleFont, style.TitleHalfPoints);
            if (i > 0) run.InsertAfter(new Break(), run.RunProperties);
            p.Append(run);
        }
        return p;
    }

    /// <summary>Indent in twips for a number of grid characters.</summary>
    public static int Chars(decimal n) => (int)Math.Round(n * CharPitch, MidpointRounding.AwayFromZero);

    /// <summary>Creates the package: styles with the body defaults, even/odd footers with page numbers.</summary>
    public static (Body Body, SectionProperties Section) Create(WordprocessingDocument w, DocumentStyle style, bool landscape = false)
    {
        var main = w.AddMainDocumentPart();
        main.Document = new Document(new Body());

        var styles = main.AddNewPart<StyleDefinitionsPart>();
        styles.Styles = new Styles(
            new DocDefaults(
                new RunPropertiesDefault(new RunPropertiesBaseStyle(
                    Fonts(style.BodyFont), new Color { Val = "000000" },
                    new FontSize { Val = Half(style.BodyHalfPoints) }, new FontSizeComplexScript { Val = Half(style.BodyHalfPoints) },
                    new Languages { Val = "en-US", EastAsia = "zh-CN" })),
                new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle(
                    new SpacingBetweenLines { Before = "0", After = "0", Line = LinePitch.ToString(), LineRule = LineSpacingRuleValues.Exact }))),
            // LibreOffice sizes the character grid from the Normal style's East Asian font size (not from docDefaults),
            // so the style repeats the body font and size; without it LibreOffice lays 16 pt text on a 12 pt grid.
            new Style(new StyleName { Val = "Normal" }, new PrimaryStyle(),
                new StyleParagraphProperties(new OverflowPunctuation { Val = false }, new AutoSpaceDE { Val = false }, new AutoSpaceDN { Val = false },
                    new SpacingBetweenLines { Before = "0", After = "0", Line = LinePitch.ToString(), LineRule = LineSpacingRuleValues.Exact },
                    new Justification { Val = JustificationValues.Both }),
                new StyleRunProperties(Fonts(style.BodyFont), new Color { Val = "000000" },
                    new FontSize { Val = Half(style.BodyHalfPoints) }, new FontSizeComplexScript { Val = Half(style.BodyHalfPoints) }))
            { Type = StyleValues.Paragraph, StyleId = "Normal", Default = true });

        var settings = main.AddNewPart<DocumentSettingsPart>();
        settings.Settings = new Settings(new EvenAndOddHeaders());

        var odd = main.AddNewPart<FooterPart>();
        odd.Footer = PageNumberFooter(style, JustificationValues.Right);
        var even = main.AddNewPart<FooterPart>();
        even.Footer = PageNumberFooter(style, JustificationValues.Left);

        var (width, height) = landscape ? (PageHeight, PageWidth) : (PageWidth, PageHeight);
        var section = new SectionProperties(
            new FooterReference { Type = HeaderFooterValues.Default, Id = main.GetIdOfPart(odd) },
            new FooterReference { Type = HeaderFooterValues.Even, Id = main.GetIdOfPart(even) },
            new PageSize { Width = (UInt32Value)(uint)width, Height = (UInt32Value)(uint)height, Orient = landscape ? PageOrientationValues.Landscape : PageOrientationValues.Portrait },
            new PageMargin
            {
                Top = MarginTop, Bottom = MarginBottom, Left = (UInt32Value)(uint)MarginLeft, Right = (UInt32Value)(uint)MarginRight,
                Header = (UInt32Value)(uint)HeaderDistance, Footer = (UInt32Value)(uint)FooterDistance, Gutter = 0,
            },
            new Columns { Space = "425" },
            new DocGrid { Type = DocGridValues.Lines, LinePitch = LinePitch, CharacterSpace = CharSpace(style) });
        return (main.Document.Body!, section);
    }

    static string Half(int halfPoints) => halfPoints.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static RunFonts Fonts(string font) =>
        new() { Ascii = font, HighAnsi = font, EastAsia = font, ComplexScript = font };

    /// <summary>
    /// Character spacing of body text in twips: a 3号 character is 320 twips wide, 28 of them make 8960 > 8845, so
    /// each advances −5 twips (−0.25 pt) to put exactly 28 on a line — in Word and in LibreOffice alike, which does
    /// not compress characters to a finer docGrid pitch the way Word does.
    /// </summary>
    public static int BodyTracking(DocumentStyle style) => TextWidth / CharsPerLine - style.BodyHalfPoints * 10;

    public static RunProperties RunProps(string font, int halfPoints, bool bold = false, int tracking = 0)
    {
        var rp = new RunProperties(Fonts(font));
        if (bold) { rp.Append(new Bold()); rp.Append(new BoldComplexScript()); }
        rp.Append(new Color { Val = "000000" });
        if (tracking != 0) rp.Append(new Spacing { Val = tracking });
        rp.Append(new FontSize { Val = Half(halfPoints) });
        rp.Append(new FontSizeComplexScript { Val = Half(halfPoints) });
        return rp;
    }

    public static Run Run(string text, string font, int halfPoints, bool bold = false, int tracking = 0) =>
        new(RunProps(font, halfPoints, bold, tracking), new Text(text) { Space = SpaceProcessingModeValues.Preserve });

    /// <summary>A run at body size with the body's character spacing.</summary>
    public static Run BodyRun(string text, string font, DocumentStyle style, bool bold = false) =>
        Run(text, font, style.BodyHalfPoints, bold, BodyTracking(style));

    /// <summary>Paragraph properties in schema order: spacing, indentation, justification.</summary>
    /// <summary>
    /// No automatic space between Chinese and Latin text or digits (Word and LibreOffice both add it by default, which
    /// breaks the 28-character grid) and no punctuation hanging into the right margin, so the right edge stays straight. <paramref name="snapToGrid"/> false lets a larger size (the title) keep the exact
    /// line height instead of taking two grid lines.
    /// </summary>
    public static ParagraphProperties ParaProps(JustificationValues jc, Indentation ind, int lineTwips = LinePitch, bool snapToGrid = true) =>
        new(new OverflowPunctuation { Val = false }, new AutoSpaceDE { Val = false }, new AutoSpaceDN { Val = false }, new SnapToGrid { Val = snapToGrid },
            new SpacingBetweenLines { Before = "0", After = "0", Line = lineTwips.ToString(System.Globalization.CultureInfo.InvariantCulture), LineRule = LineSpacingRuleValues.Exact },
            ind, new Justification { Val = jc });

    /// <summary>A body-style paragraph with a 2-character first-line indent.</summary>
    public static Indentation FirstLine2() => new() { FirstLineChars = 200, FirstLine = Chars(2).ToString(System.Globalization.CultureInfo.InvariantCulture) };

    public static Indentation NoIndent() => new() { FirstLineChars = 0, FirstLine = "0" };

    static Footer PageNumberFooter(DocumentStyle style, JustificationValues side)
    {
        // One character in from the edge of the text block, in 4号 characters.
        var oneChar = (style.PageNumberHalfPoints * 10).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var ind = side == JustificationValues.Right
            ? new Indentation { Right = oneChar, RightChars = 100 }
            : new Indentation { Left = oneChar, LeftChars = 100 };
        var lineTwips = style.PageNumberHalfPoints * 10;
        var p = new Paragraph(ParaProps(side, ind, lineTwips),
            Run("— ", style.PageNumberFont, style.PageNumberHalfPoints),
            new Run(RunProps(style.PageNumberFont, style.PageNumberHalfPoints), new FieldChar { FieldCharType = FieldCharValues.Begin }),
            new Run(RunProps(style.PageNumberFont, style.PageNumberHalfPoints), new FieldCode(" PAGE ") { Space = SpaceProcessingModeValues.Preserve }),
            new Run(RunProps(style.PageNumberFont, style.PageNumberHalfPoints), new FieldChar { FieldCharType = FieldCharValues.Separate }),
            Run("1", style.PageNumberFont, style.PageNumberHalfPoints),
            new Run(RunProps(style.PageNumberFont, style.PageNumberHalfPoints), new FieldChar { FieldCharType = FieldCharValues.End }),
            Run(" —", style.PageNumberFont, style.PageNumberHalfPoints));
        return new Footer(p);
    }
}
