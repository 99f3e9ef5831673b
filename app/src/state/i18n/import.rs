//! The texts of the registry's tools: the import and export screen and the safe models.
//! See [`super`] for the rules.

use super::{Count, texts};

texts! {
    /// A text of the import and export screen.
    plain ImportKey {
        Title { nl: "Register importeren en exporteren", en: "Import and export the registry" }
        OpenLink { nl: "Importeren en exporteren", en: "Import and export" }
        ImportHeading { nl: "Een registerbestand importeren", en: "Import a registry file" }
        ImportExplain {
            nl: "Eén regel per ingang: het gebouw en, als er een hangt, zijn sleutelkluis. Kluis controleert eerst het hele bestand en toont wat er zou veranderen; pas als er geen enkele fout in staat, kunt u het toepassen, in één keer. Een import verwijdert niets.",
            en: "One line per entrance: the building and, if one hangs, its key safe. Kluis first checks the whole file and shows what would change; only when it holds no error at all can you apply it, in one go. An import removes nothing.",
        }
        FormatExplain {
            nl: "CSV met ; of , tussen de velden, in UTF-8 (in Excel: ‘CSV UTF-8’). Kolommen: straat, huisnummers, postcode, gemeente, appartementen en eigenaar zijn verplicht; wijk, model, plaats, status, geplaatst op, code, code sinds en diensten mogen leeg zijn. Data als 31/12/2025; diensten gescheiden door |.",
            en: "CSV with ; or , between fields, in UTF-8 (in Excel: ‘CSV UTF-8’). Columns: straat, huisnummers, postcode, gemeente, appartementen and eigenaar are required; wijk, model, plaats, status, geplaatst op, code, code sinds and diensten may be empty. Dates as 31/12/2025; services separated by |.",
        }
        Template { nl: "Voorbeeldbestand", en: "Example file" }
        ChooseFile { nl: "Bestand kiezen", en: "Choose file" }
        Checking { nl: "Bestand wordt gecontroleerd…", en: "Checking the file…" }
        Applying { nl: "Wordt toegepast…", en: "Applying…" }
        Apply { nl: "Toepassen", en: "Apply" }
        NotUtf8 {
            nl: "Dit bestand is geen UTF-8-tekst. Bewaar het in Excel als ‘CSV UTF-8 (door komma's gescheiden)’ en kies het opnieuw.",
            en: "This file is not UTF-8 text. Save it in Excel as ‘CSV UTF-8 (comma delimited)’ and choose it again.",
        }
        TooLarge { nl: "Dit bestand is groter dan 4 MB.", en: "This file is larger than 4 MB." }
        NoFile { nl: "Het bestand kon niet gelezen worden.", en: "The file could not be read." }
        ErrorsHeading { nl: "Fouten: er wordt niets toegepast", en: "Errors: nothing is applied" }
        ConflictsHeading { nl: "Codes die de regels breken", en: "Codes that break the rules" }
        PlanHeading { nl: "Wat er verandert", en: "What changes" }
        ColLine { nl: "Regel", en: "Line" }
        ColColumn { nl: "Kolom", en: "Column" }
        ColProblem { nl: "Probleem", en: "Problem" }
        ColAddress { nl: "Adres", en: "Address" }
        ColBuilding { nl: "Gebouw", en: "Building" }
        ColSafe { nl: "Kluis", en: "Safe" }
        ColDetail { nl: "Wijzigingen", en: "Changes" }
        ColOther { nl: "Andere kluis", en: "Other safe" }
        ColWhy { nl: "Waarom", en: "Why" }
        Create { nl: "nieuw", en: "new" }
        Change { nl: "gewijzigd", en: "changed" }
        Same { nl: "ongewijzigd", en: "unchanged" }
        CodeSet { nl: "code overgenomen", en: "code taken over" }
        ConflictSame { nl: "zelfde code", en: "same code" }
        ConflictClose { nl: "verschilt in maar één knop", en: "differs in one button only" }
        ConflictFactory { nl: "fabriekscode", en: "factory code" }
        FileWhole { nl: "het bestand", en: "the file" }
        Applied { nl: "Het bestand is toegepast.", en: "The file has been applied." }
        NothingToApply { nl: "Dit bestand verandert niets.", en: "This file changes nothing." }
        ExportHeading { nl: "Het register exporteren", en: "Export the registry" }
        ExportExplain {
            nl: "In hetzelfde formaat als de import, zonder codes.",
            en: "In the same format as the import, without codes.",
        }
        Export { nl: "Register exporteren", en: "Export the registry" }
        CodesHeading { nl: "Exporteren met codes", en: "Export with codes" }
        CodesExplain {
            nl: "Dit bestand opent elke sleutelkluis. Bewaar het nooit in een gedeelde map of e-mail. Geef uw wachtwoord opnieuw; de export wordt in de audit vastgelegd.",
            en: "This file opens every key safe. Never keep it in a shared folder or e-mail. Give your password again; the export is recorded in the audit trail.",
        }
        Password { nl: "Uw wachtwoord", en: "Your password" }
        ExportCodes { nl: "Exporteren met codes", en: "Export with codes" }
        WrongPassword { nl: "Dat wachtwoord klopt niet.", en: "That password is not right." }
        ProblemImportEmpty { nl: "Het bestand heeft geen kopregel of geen gegevens.", en: "The file has no header line or no data." }
        ProblemSyntax { nl: "Een aanhalingsteken wordt niet gesloten.", en: "A quotation mark is not closed." }
        ProblemMissingColumn { nl: "Deze verplichte kolom ontbreekt.", en: "This required column is missing." }
        ProblemDuplicateColumn { nl: "Deze kolom staat er twee keer.", en: "This column is there twice." }
        ProblemImportDate { nl: "Geen datum: schrijf 31/12/2025 of 2025-12-31.", en: "Not a date: write 31/12/2025 or 2025-12-31." }
        ProblemUnknownStatus {
            nl: "Onbekende status: aangevraagd, geplaatst, actief, defect of verwijderd.",
            en: "Unknown status: aangevraagd, geplaatst, actief, defect or verwijderd.",
        }
        ProblemCodeForModel { nl: "Deze code past niet op dit model (knoppen of lengte).", en: "This code does not fit this model (buttons or length)." }
        ProblemCodeWithoutSafe { nl: "Een code zonder kluis die hangt.", en: "A code without a safe that hangs." }
        ProblemActiveNeedsCode { nl: "Een actieve kluis heeft haar huidige code nodig.", en: "An active safe needs its current code." }
        ProblemCodeDiffers {
            nl: "Deze kluis heeft in Kluis al een andere code; codes wijzigen via een campagne.",
            en: "This safe already has another code in Kluis; codes change through a campaign.",
        }
        ProblemNeedsDate {
            nl: "Een kluis die hangt heeft ‘geplaatst op’ of ‘code sinds’ nodig, voor haar termijnen.",
            en: "A safe that hangs needs ‘geplaatst op’ or ‘code sinds’, for its deadlines.",
        }
        FieldRows { nl: "Regels", en: "Rows" }
        ModelsTitle { nl: "Kluismodellen", en: "Safe models" }
        ColAppVersion { nl: "App-versie", en: "App version" }
        BulkService { nl: "Dienst voor de gekozen gebouwen", en: "Service for the chosen buildings" }
        BulkAdd { nl: "Actief maken", en: "Make active" }
        BulkRemove { nl: "Niet meer actief", en: "No longer active" }
        ChooseAllShown { nl: "Alle getoonde gebouwen kiezen", en: "Choose every building shown" }
        ModelsExplain {
            nl: "Elk model zegt welke knoppen een kluis heeft, hoe lang een code is en wat de fabriekscode is. Kluis maakt nooit een code die de fabriekscode is of een reeks zoals 1234.",
            en: "Each model says which buttons a safe has, how long a code is and what the factory code is. Kluis never makes a code that is the factory code or a run like 1234.",
        }
        ModelName { nl: "Naam", en: "Name" }
        ModelButtons { nl: "Knoppen", en: "Buttons" }
        ModelLength { nl: "Codelengte", en: "Code length" }
        ModelFactory { nl: "Fabriekscode", en: "Factory code" }
        ModelSafes { nl: "Kluizen", en: "Safes" }
        ModelFactoryKnown { nl: "bekend", en: "known" }
        ModelFactoryUnknown { nl: "niet opgegeven", en: "not given" }
        ModelNew { nl: "Nieuw model", en: "New model" }
        ModelFieldName { nl: "Naam van het model", en: "Model name" }
        ModelFieldButtons { nl: "Knoppen, in de volgorde op de kluis", en: "Buttons, in their order on the safe" }
        ModelFieldButtonsHint { nl: "Bijvoorbeeld 1234567890, of 123456789ABC0.", en: "For example 1234567890, or 123456789ABC0." }
        ModelFieldMin { nl: "Kortste code (knoppen)", en: "Shortest code (buttons)" }
        ModelFieldMax { nl: "Langste code (knoppen)", en: "Longest code (buttons)" }
        ModelFieldFactory { nl: "Fabriekscode (leeg: niet bekend)", en: "Factory code (empty: not known)" }
        ModelAdd { nl: "Model toevoegen", en: "Add model" }
        ModelAdded { nl: "Toegevoegd.", en: "Added." }
        ModelLengthNotNumber { nl: "Geef de codelengtes als getallen van 1 tot 16.", en: "Give the code lengths as numbers from 1 to 16." }
    }

    /// A filled text of the import and export screen.
    filled ImportMsg<'a> {
        Lines(n: Count) {
            nl: [n: "1 regel", "{n} regels"],
            en: [n: "1 line", "{n} lines"],
        }
        NewBuildings(n: Count) {
            nl: [n: "1 nieuw gebouw", "{n} nieuwe gebouwen"],
            en: [n: "1 new building", "{n} new buildings"],
        }
        NewSafes(n: Count) {
            nl: [n: "1 nieuwe kluis", "{n} nieuwe kluizen"],
            en: [n: "1 new safe", "{n} new safes"],
        }
        CodesTaken(n: Count) {
            nl: [n: "1 code overgenomen", "{n} codes overgenomen"],
            en: [n: "1 code taken over", "{n} codes taken over"],
        }
        ChangedBuildings(n: Count) {
            nl: [n: "1 gebouw gewijzigd", "{n} gebouwen gewijzigd"],
            en: [n: "1 building changed", "{n} buildings changed"],
        }
        ChangedSafes(n: Count) {
            nl: [n: "1 kluis gewijzigd", "{n} kluizen gewijzigd"],
            en: [n: "1 safe changed", "{n} safes changed"],
        }
        ServicesAdded(n: Count) {
            nl: [n: "1 dienst erbij op een adres", "{n} keer een dienst erbij op een adres"],
            en: [n: "1 service added at an address", "a service added {n} times at an address"],
        }
        ErrorCount(n: Count) {
            nl: [n: "1 fout. Verbeter het bestand en kies het opnieuw.", "{n} fouten. Verbeter het bestand en kies het opnieuw."],
            en: [n: "1 error. Correct the file and choose it again.", "{n} errors. Correct the file and choose it again."],
        }
        MoreErrors(shown: Count, total: Count) {
            nl: "De eerste {shown} van {total} fouten.",
            en: "The first {shown} of {total} errors.",
        }
        ConflictsDue(n: Count, due: &'a str) {
            nl: [n: "1 kluis krijgt een nieuwe code uiterlijk {due}: haar code is ook bekend bij wie een andere kluis opent.", "{n} kluizen krijgen een nieuwe code uiterlijk {due}: hun code is ook bekend bij wie een andere kluis opent."],
            en: [n: "1 safe gets a new code by {due}: its code is also known to whoever opens another safe.", "{n} safes get a new code by {due}: their code is also known to whoever opens another safe."],
        }
        PlanShown(shown: Count, total: Count) {
            nl: "De eerste {shown} van {total} regels.",
            en: "The first {shown} of {total} lines.",
        }
        UnknownColumn(header: &'a str) {
            nl: "Kolom ‘{header}’ kent Kluis niet.",
            en: "Kluis does not know column ‘{header}’.",
        }
        FieldCount(expected: Count, found: Count) {
            nl: "{found} velden in plaats van {expected}.",
            en: "{found} fields instead of {expected}.",
        }
        DuplicateRow(first: Count) {
            nl: "Deze ingang staat al op regel {first}.",
            en: "This entrance is on line {first} already.",
        }
        UnknownService(name: &'a str) {
            nl: "Geen actieve thuiszorgdienst heet ‘{name}’.",
            en: "No active home-care service is called ‘{name}’.",
        }
        BulkChosen(n: Count) {
            nl: [n: "1 gebouw gekozen", "{n} gebouwen gekozen"],
            en: [n: "1 building chosen", "{n} buildings chosen"],
        }
        BulkDone(added: Count, removed: Count) {
            nl: "Bewaard: {added} erbij, {removed} eraf. De telefoons volgen bij hun volgende synchronisatie.",
            en: "Saved: {added} added, {removed} taken off. Phones follow at their next sync.",
        }
        EmailSent(to: &'a str) {
            nl: "De code en de link zijn ook per e-mail verstuurd naar {to}.",
            en: "The code and the link were also e-mailed to {to}.",
        }
        EmailFailed(to: &'a str) {
            nl: "De e-mail naar {to} kon niet verstuurd worden: geef de code zelf door.",
            en: "The e-mail to {to} could not be sent: hand the code over yourself.",
        }
        ChooseOne(address: &'a str) { nl: "Kies {address}", en: "Choose {address}" }
        ModelLengths(min: Count, max: Count) {
            nl: "{min} tot {max} knoppen",
            en: "{min} to {max} buttons",
        }
        Exported(rows: Count, name: &'a str) {
            nl: "{rows} regels bewaard in {name}.",
            en: "{rows} lines saved in {name}.",
        }
    }
}
