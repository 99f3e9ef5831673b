//! The coordinator desktop's texts. See [`super`] for the rules.

use super::{Count, texts};

texts! {
    /// A text of the coordinator's desktop.
    plain DeskKey {
        Title { nl: "Coördinatie", en: "Coordination" }
        NavLabel { nl: "Onderdelen", en: "Sections" }
        NavCampaigns { nl: "Campagnes", en: "Campaigns" }
        NavDue { nl: "Te doen", en: "Due" }
        NavReports { nl: "Meldingen", en: "Reports" }
        NavCodeSpace { nl: "Coderuimte", en: "Code space" }
        NavHistory { nl: "Geschiedenis", en: "History" }
        NavRepairs { nl: "Herstellingen", en: "Repairs" }
        NavNew { nl: "Nieuwe campagne", en: "New campaign" }
        NavSettings { nl: "Instellingen", en: "Settings" }
        NavRegistry { nl: "Register", en: "Registry" }
        NavPeople { nl: "Organisaties en mensen", en: "Organisations and people" }
        NavAudit { nl: "Logboek", en: "Audit trail" }

        SettingsTitle { nl: "Instellingen", en: "Settings" }
        PlanningSettings { nl: "Zo worden campagnes gepland", en: "How campaigns are planned" }
        QuarantineDays {
            nl: "Quarantaine van oude codes (dagen)",
            en: "Quarantine of old codes (days)",
        }
        QuarantineExplain {
            nl: "Zo lang komt een afgeschreven code op geen enkele kluis terug. Langer is veiliger, maar laat minder codes vrij.",
            en: "For this long a retired code comes back on no safe. Longer is safer but leaves fewer codes free.",
        }
        RoundSize { nl: "Kluisjes per ronde (hoogstens)", en: "Safes per round (at most)" }
        RoundSizeExplain {
            nl: "Een vrijwilliger doet één ronde in een namiddag.",
            en: "A volunteer does one round in an afternoon.",
        }
        Reserve { nl: "Codes vrij houden per model", en: "Codes kept free per model" }
        ReserveExplain {
            nl: "Voor dringende wijzigingen na een lek, ook tijdens een campagne.",
            en: "For urgent changes after a leak, also during a campaign.",
        }
        RoundsPerVolunteer {
            nl: "Rondes per vrijwilliger tegelijk",
            en: "Rounds per volunteer at once",
        }
        RoundsPerVolunteerExplain {
            nl: "Zoveel rondes met werk kan een vrijwilliger zelf nemen: elke ronde brengt de codes van haar kluisjes naar de telefoon. Meer kan alleen als jij ze toewijst.",
            en: "A volunteer can take this many rounds with work left: each round brings the codes of its safes to the phone. More only when you assign them.",
        }
        Save { nl: "Bewaren", en: "Save" }
        SettingsSaved {
            nl: "Bewaard. Dit geldt voor campagnes en golven die je vanaf nu plant.",
            en: "Saved. This applies to campaigns and waves you plan from now on.",
        }
        ClosingDays { nl: "Sluitingsdagen", en: "Closing days" }
        ClosingDaysExplain {
            nl: "Dagen waarop het kantoor dicht is, bovenop weekends en wettelijke feestdagen: termijnen in werkdagen slaan ze over.",
            en: "Days the office is closed, on top of weekends and public holidays: deadlines in working days skip them.",
        }
        NoClosingDays { nl: "Nog geen sluitingsdagen.", en: "No closing days yet." }
        ClosingDay { nl: "Datum", en: "Date" }
        ClosingLabel { nl: "Omschrijving (niet verplicht)", en: "Description (optional)" }
        AddClosingDay { nl: "Sluitingsdag toevoegen", en: "Add closing day" }
        ClosingDayInvalid { nl: "Kies een datum.", en: "Pick a date." }
        Remove { nl: "Schrappen", en: "Remove" }
        PhoneSettings { nl: "Op de toestellen", en: "On the devices" }
        PhoneSettingsExplain {
            nl: "Elk toestel krijgt deze waarden bij de volgende synchronisatie; open apps meteen.",
            en: "Every device gets these values at its next sync; open apps at once.",
        }
        DeviceSettingsSaved {
            nl: "Bewaard en naar de toestellen gestuurd.",
            en: "Saved and sent to the devices.",
        }
        GraceDays {
            nl: "Vorige code blijft zichtbaar (dagen)",
            en: "Previous code stays visible (days)",
        }
        IdleLockSecs {
            nl: "Vergrendelen na (seconden zonder aanraking)",
            en: "Lock after (seconds without a touch)",
        }
        LeaseHours {
            nl: "Gegevens tonen tot (uren zonder verbinding)",
            en: "Show data for (hours without connection)",
        }

        Loading { nl: "Gegevens worden opgehaald…", en: "Fetching data…" }
        Retry { nl: "Opnieuw proberen", en: "Try again" }
        Refresh { nl: "Vernieuwen", en: "Refresh" }
        ExportCsv { nl: "Exporteer CSV", en: "Export CSV" }
        Filter { nl: "Filter", en: "Filter" }
        Cancel { nl: "Annuleren", en: "Cancel" }
        Show { nl: "Toon", en: "Show" }
        Yes { nl: "ja", en: "yes" }
        No { nl: "nee", en: "no" }
        All { nl: "Alle", en: "All" }

        ErrRefused {
            nl: "De server weigerde dit. Kijk de gegevens na en probeer opnieuw.",
            en: "The server refused this. Check the details and try again.",
        }
        ErrConflict {
            nl: "Dit is intussen veranderd. Vernieuw en probeer opnieuw.",
            en: "This changed in the meantime. Refresh and try again.",
        }
        ErrUnknownCompany {
            nl: "Deze huisvestingsmaatschappij bestaat niet.",
            en: "This housing company does not exist.",
        }
        ErrEmptySelection {
            nl: "Deze selectie bevat geen enkele kluis.",
            en: "This selection holds no safe.",
        }
        ErrNotInstalled {
            nl: "Deze kluis hangt (nog) niet: er is nog geen code.",
            en: "This safe is not installed (yet): it has no code.",
        }
        ErrNoWaitingWave {
            nl: "Deze campagne heeft geen wachtende golf meer.",
            en: "This campaign has no wave waiting.",
        }
        ErrNotAVolunteer {
            nl: "Deze persoon is geen actieve vrijwilliger van jouw dienst.",
            en: "This person is not an active volunteer of your service.",
        }
        FieldNote { nl: "Notitie", en: "Note" }
        FieldDeviceName { nl: "Naam van het toestel", en: "Device name" }
        FieldOther { nl: "Een veld", en: "A field" }
        TeamTitle { nl: "Mijn dienst", en: "My service" }
        RegistryTitle { nl: "Gebouwen en kluizen", en: "Buildings and safes" }
        KindOffice { nl: "coördinatie", en: "coordination" }
        KindService { nl: "thuiszorgdienst", en: "home-care service" }
        KindCompany { nl: "huisvestingsmaatschappij", en: "housing company" }
        RoleCoordinator { nl: "coördinator", en: "coordinator" }
        RoleServiceAdmin { nl: "beheerder van de dienst", en: "service admin" }
        RoleCarer { nl: "zorgverlener", en: "carer" }
        RoleVolunteer { nl: "vrijwilliger", en: "volunteer" }
        RoleHousingStaff { nl: "medewerker maatschappij", en: "housing-company staff" }
        ColBuildings { nl: "Gebouwen", en: "Buildings" }
        ColPeople { nl: "Mensen", en: "People" }
        Inactive { nl: "gedeactiveerd", en: "deactivated" }
        ShowPeople { nl: "Mensen", en: "People" }
        PeopleOf { nl: "Mensen van", en: "People of" }
        NewOrganisation { nl: "Nieuwe organisatie", en: "New organisation" }
        AddOrganisation { nl: "Organisatie toevoegen", en: "Add organisation" }
        Role { nl: "Rol", en: "Role" }
        PeopleTitle { nl: "Mensen met deze rol", en: "People with this role" }
        InvitePerson { nl: "Iemand uitnodigen", en: "Invite someone" }
        RegistrySearch { nl: "Zoek adres, wijk of eigenaar", en: "Search address, district or owner" }
        NoBuildings { nl: "Geen gebouwen gevonden.", en: "No buildings found." }
        NoSafe { nl: "geen kluis", en: "no safe" }
        ChooseOwner { nl: "Kies de maatschappij", en: "Choose the housing company" }
        NewBuilding { nl: "Nieuw gebouw", en: "New building" }
        AddBuilding { nl: "Gebouw toevoegen", en: "Add building" }
        BackToRegistry { nl: "Terug naar het register", en: "Back to the registry" }
        BuildingData { nl: "Adres en eigenaar", en: "Address and owner" }
        Saved { nl: "Bewaard.", en: "Saved." }
        ChooseModel { nl: "Kies een kluismodel", en: "Choose a safe model" }
        AddSafeTitle { nl: "Kluis aan dit gebouw", en: "Safe at this building" }
        SafeHangs { nl: "De kluis hangt al (geplaatst)", en: "The safe hangs already (installed)" }
        InstalledOn { nl: "Geplaatst op", en: "Installed on" }
        FirstCodeRule {
            nl: "Binnen 5 werkdagen na de plaatsing krijgt de kluis een eerste code (de fabriekscode mag niet blijven).",
            en: "Within 5 working days of installation the safe gets a first code (the factory code must not stay).",
        }
        AddSafe { nl: "Kluis toevoegen", en: "Add safe" }
        HasKluisCode { nl: "heeft een Kluis-code", en: "has a Kluis code" }
        StillFactoryCode { nl: "nog de fabriekscode", en: "still the factory code" }
        ActiveServices { nl: "Actieve thuiszorgdiensten", en: "Active home-care services" }
        ActiveServicesHint {
            nl: "Hun zorgverleners krijgen de code van deze kluis bij hun volgende synchronisatie.",
            en: "Their carers get this safe's code at their next sync.",
        }
        Since { nl: "sinds", en: "since" }
        BuildingHistory { nl: "Wijzigingen", en: "Changes" }
        NoChanges { nl: "Nog geen wijzigingen.", en: "No changes yet." }
        ColWho { nl: "Wie", en: "Who" }
        ColWhat { nl: "Wat", en: "What" }
        ColChange { nl: "Voor → na", en: "Before → after" }
        EditBuildingAdded { nl: "gebouw toegevoegd", en: "building added" }
        EditBuildingChanged { nl: "gebouw gewijzigd", en: "building changed" }
        EditSafeAdded { nl: "kluis toegevoegd", en: "safe added" }
        EditSafeChanged { nl: "kluis gewijzigd", en: "safe changed" }
        EditActivity { nl: "diensten gewijzigd", en: "services changed" }
        TeamPeople { nl: "Zorgverleners", en: "Carers" }
        TeamNone {
            nl: "Nog geen zorgverleners. Nodig de eerste hieronder uit.",
            en: "No carers yet. Invite the first one below.",
        }
        InviteTitle { nl: "Zorgverlener uitnodigen", en: "Invite a carer" }
        InviteIntro {
            nl: "De persoon krijgt een activatiecode (72 uur geldig, één keer) en kiest zelf een wachtwoord en een pincode.",
            en: "The person gets an activation code (valid 72 hours, once) and chooses their own password and PIN.",
        }
        FieldName { nl: "Naam", en: "Name" }
        FieldValidUntil { nl: "Toegang tot (leeg: onbeperkt)", en: "Access until (empty: no end)" }
        InviteButton { nl: "Uitnodigen", en: "Invite" }
        InvitationTitle { nl: "Geef deze activatiecode door", en: "Hand over this activation code" }
        InvitationOnce {
            nl: "Deze code wordt maar één keer getoond. Geef hem persoonlijk of via de link door.",
            en: "This code is shown only once. Hand it over in person or through the link.",
        }
        InvitationLink { nl: "Link", en: "Link" }
        InvitationQr {
            nl: "QR-code van de link: scan hem met de camera van de telefoon",
            en: "QR code of the link: scan it with the phone's camera",
        }
        InvitationDone { nl: "Klaar", en: "Done" }
        NewCode { nl: "Nieuwe code", en: "New code" }
        Deactivate { nl: "Deactiveren", en: "Deactivate" }
        DeactivateConfirm {
            nl: "Ja, deactiveer: toestellen wissen",
            en: "Yes, deactivate: wipe devices",
        }
        Reactivate { nl: "Opnieuw activeren", en: "Reactivate" }
        ColName { nl: "Naam", en: "Name" }
        ColLogin { nl: "Gebruikersnaam", en: "Username" }
        ColValidUntil { nl: "Toegang tot", en: "Access until" }
        ColDevices { nl: "Toestellen", en: "Devices" }
        ColLastSeen { nl: "Laatst gezien", en: "Last seen" }
        DevicesTitle { nl: "Toestellen", en: "Devices" }
        ColDevice { nl: "Toestel", en: "Device" }
        ColEnrolled { nl: "Aangemeld op", en: "Signed in on" }
        DeviceActive { nl: "in gebruik", en: "in use" }
        DeviceRevokedState { nl: "ingetrokken", en: "revoked" }
        RevokeDevice { nl: "Intrekken", en: "Revoke" }
        RevokeDeviceConfirm { nl: "Ja, intrekken: toestel wissen", en: "Yes, revoke: wipe device" }
        NoDevices { nl: "Nog geen toestellen.", en: "No devices yet." }
        AccountInvited { nl: "uitgenodigd", en: "invited" }
        AccountActive { nl: "actief", en: "active" }
        AccountExpired { nl: "verlopen", en: "expired" }
        AccountRevoked { nl: "gedeactiveerd", en: "deactivated" }
        NoEnd { nl: "onbeperkt", en: "no end" }
        Never { nl: "nooit", en: "never" }
        ErrNameMissing { nl: "Vul een naam en een gebruikersnaam in.", en: "Fill in a name and a username." }
        FieldStreet { nl: "Straat", en: "Street" }
        FieldNumbers { nl: "Huisnummers", en: "House numbers" }
        FieldPostcode { nl: "Postcode", en: "Postcode" }
        FieldCity { nl: "Gemeente", en: "City" }
        FieldApartments { nl: "Appartementen", en: "Apartments" }
        FieldContact { nl: "Contactpersoon", en: "Contact person" }
        FieldPhone { nl: "Telefoon", en: "Phone" }
        FieldEmail { nl: "E-mail", en: "E-mail" }
        FieldLogin { nl: "Gebruikersnaam", en: "Username" }
        FieldPassword { nl: "Wachtwoord", en: "Password" }
        FieldPlacement { nl: "Plaats van de kluis", en: "Where the safe hangs" }
        FieldButtons { nl: "Knoppen", en: "Buttons" }
        FieldCodeLength { nl: "Lengte van de code", en: "Code length" }
        FieldFactoryDefault { nl: "Fabriekscode", en: "Factory code" }
        FieldServices { nl: "Diensten", en: "Services" }
        ErrHouseNumbers {
            nl: "Huisnummers: schrijf een nummer, een reeks of een lijst, zoals 12, 12bis, 10-16, 11-17 oneven of 12, 14, 18.",
            en: "House numbers: write a number, a range or a list, such as 12, 12bis, 10-16, 11-17 odd or 12, 14, 18.",
        }
        ErrWeakPassword {
            nl: "Dit wachtwoord is te zwak: minstens 12 tekens, niet een van de meest gebruikte.",
            en: "This password is too weak: at least 12 characters, not one of the most used.",
        }
        ErrActivationCode {
            nl: "Deze activatiecode is ongeldig, al gebruikt of verlopen.",
            en: "This activation code is invalid, used already or expired.",
        }
        ErrLoginTaken {
            nl: "Iemand anders heeft deze gebruikersnaam al.",
            en: "Someone else has this username already.",
        }
        ErrNameTaken {
            nl: "Deze naam bestaat al.",
            en: "This name exists already.",
        }
        ErrRoleNotAllowed {
            nl: "Deze rol hoort niet bij deze organisatie, of jij mag hem niet geven.",
            en: "This role does not belong to this organisation, or you may not give it.",
        }
        ErrUnknownOrganisation {
            nl: "Deze organisatie bestaat niet (meer), of is niet van de juiste soort.",
            en: "This organisation does not exist (any more), or is not of the right kind.",
        }
        ErrOrganisationInactive {
            nl: "Deze organisatie is gedeactiveerd: er kan niets nieuws bij.",
            en: "This organisation is deactivated: nothing new can be added to it.",
        }
        ErrUnknownModel { nl: "Dit kluismodel bestaat niet.", en: "This safe model does not exist." }
        ErrInvalidModel {
            nl: "Dit model kan niet werken: kijk de knoppen, de lengtes en de fabriekscode na.",
            en: "This model cannot work: check the buttons, the lengths and the factory code.",
        }
        ErrSafeExists {
            nl: "Aan dit gebouw hangt al een kluis.",
            en: "This building has a safe already.",
        }
        ErrAccountRevoked {
            nl: "Dit account is gedeactiveerd: activeer het eerst opnieuw.",
            en: "This account is deactivated: reactivate it first.",
        }
        ErrOffline {
            nl: "Geen verbinding. Het coördinatieoverzicht werkt alleen online: maak verbinding en probeer opnieuw.",
            en: "No connection. The coordination overview only works online: connect and try again.",
        }
        ErrTimeout {
            nl: "De server antwoordde niet op tijd. Probeer opnieuw.",
            en: "The server did not answer in time. Please try again.",
        }
        ErrNoSession {
            nl: "De app is vergrendeld. Ontgrendel met je pincode.",
            en: "The app is locked. Unlock it with your PIN.",
        }
        ErrSignedOut {
            nl: "Je aanmelding is niet meer geldig. Meld je opnieuw aan.",
            en: "Your sign-in is no longer valid. Please sign in again.",
        }
        ErrForbidden {
            nl: "Je hebt geen toegang tot deze gegevens.",
            en: "You do not have access to this information.",
        }
        ErrNotFound {
            nl: "Dit bestaat (niet) meer. Vernieuw het overzicht.",
            en: "This does not exist (any more). Refresh the overview.",
        }
        ErrBusy {
            nl: "Te veel aanvragen na elkaar. Wacht even en probeer opnieuw.",
            en: "Too many requests in a row. Wait a moment and try again.",
        }
        ErrServer {
            nl: "Er ging iets mis op de server. Probeer het later opnieuw.",
            en: "Something went wrong on the server. Please try again later.",
        }
        ErrUnavailable {
            nl: "De server kan nu niets bewaren. Er is niets gewijzigd: probeer het later opnieuw.",
            en: "The server cannot store anything now. Nothing was changed: please try again later.",
        }

        Done { nl: "gedaan", en: "done" }
        Failed { nl: "niet gelukt", en: "failed" }
        Open { nl: "open", en: "open" }
        Waiting { nl: "wacht op volgende golf", en: "waiting for a later wave" }
        ColDone { nl: "Gedaan", en: "Done" }
        ColFailed { nl: "Niet gelukt", en: "Failed" }
        ColOpen { nl: "Open", en: "Open" }
        ColWaiting { nl: "Wacht", en: "Waiting" }

        ColSafe { nl: "Kluis", en: "Safe" }
        ColAddress { nl: "Adres", en: "Address" }
        ColDistrict { nl: "Wijk", en: "District" }
        ColOwner { nl: "Eigenaar", en: "Owner" }
        ColStatus { nl: "Status", en: "Status" }
        ColDue { nl: "Uiterlijk op", en: "Due on" }
        ColUrgency { nl: "Termijn", en: "Term" }
        ColReason { nl: "Reden", en: "Reason" }
        ColCampaign { nl: "Campagne", en: "Campaign" }
        ColRound { nl: "Ronde", en: "Round" }
        ColWave { nl: "Golf", en: "Wave" }
        ColVolunteer { nl: "Vrijwilliger", en: "Volunteer" }
        ColSafes { nl: "Kluizen", en: "Safes" }
        ColKind { nl: "Soort", en: "Kind" }
        ColSelection { nl: "Selectie", en: "Selection" }
        ColCreated { nl: "Aangemaakt", en: "Created" }
        ColProgress { nl: "Voortgang", en: "Progress" }
        ColStreets { nl: "Straten", en: "Streets" }
        ColActions { nl: "Acties", en: "Actions" }
        ColModel { nl: "Model", en: "Model" }
        ColUsage { nl: "Codes in gebruik", en: "Codes in use" }
        ColQuarantined { nl: "In quarantaine", en: "In quarantine" }
        ColRemaining { nl: "Nog te kiezen", en: "Left to draw from" }
        ColState { nl: "Toestand", en: "State" }
        ColActivated { nl: "In gebruik sinds", en: "In use since" }
        ColRetired { nl: "Buiten gebruik", en: "Retired" }
        ColConfirmedBy { nl: "Bevestigd door", en: "Confirmed by" }
        ColWhen { nl: "Wanneer", en: "When" }
        ColOutcome { nl: "Resultaat", en: "Outcome" }
        ColNote { nl: "Notitie", en: "Note" }
        ColReportedBy { nl: "Gemeld door", en: "Reported by" }
        ColWithCodes { nl: "Met nieuwe code", en: "With new code" }
        ColAfterQuarantine { nl: "Na quarantaine", en: "After quarantine" }

        KindRotation { nl: "rotatie", en: "rotation" }
        KindUrgent { nl: "dringend", en: "urgent" }
        ReasonFirstCode { nl: "eerste code", en: "first code" }
        ReasonLeak { nl: "lek", en: "leak" }
        ReasonBroken { nl: "kluis defect", en: "safe broken" }
        ReasonKeyMissing { nl: "sleutel weg", en: "key missing" }
        ReasonNoAccess { nl: "geen toegang", en: "no access" }
        ReasonOther { nl: "andere", en: "other" }
        OutcomeSet { nl: "gewijzigd", en: "changed" }
        OutcomeFailed { nl: "niet gelukt", en: "could not change" }
        CodePending { nl: "nieuw (nog niet gezet)", en: "new (not set yet)" }
        CodeCurrent { nl: "huidig", en: "current" }
        CodePrevious { nl: "vorig", en: "previous" }
        CodeRetired { nl: "buiten gebruik", en: "retired" }
        StatusActive { nl: "actief", en: "active" }
        StatusInstalled { nl: "geplaatst", en: "installed" }
        StatusDefect { nl: "defect", en: "broken" }
        StatusRequested { nl: "aangevraagd", en: "requested" }
        StatusRemoved { nl: "verwijderd", en: "removed" }
        SkipNotInstalled { nl: "hangt nog niet", en: "not installed yet" }
        SkipInCampaign { nl: "al in een campagne", en: "already in a campaign" }

        CampaignsTitle { nl: "Campagnes", en: "Campaigns" }
        NoCampaigns {
            nl: "Er zijn nog geen campagnes. Plan er een onder ‘Nieuwe campagne’.",
            en: "There are no campaigns yet. Plan one under ‘New campaign’.",
        }
        NextWave { nl: "Start volgende golf", en: "Start next wave" }
        ChartTitle { nl: "Voortgang per ronde", en: "Progress per round" }
        NoRounds { nl: "Deze campagne heeft nog geen rondes.", en: "This campaign has no rounds yet." }
        WavesTitle { nl: "Golven", en: "Waves" }
        RoundsTitle { nl: "Rondes", en: "Rounds" }
        Unassigned { nl: "nog niemand", en: "nobody yet" }

        DueTitle { nl: "Te doen", en: "Due" }
        DueExplain {
            nl: "Een nieuwe code is nodig binnen 5 werkdagen na plaatsing of na een lek, en elke 6 maanden. Werkdagen: maandag tot vrijdag zonder Belgische feestdagen.",
            en: "A new code is needed within 5 working days of installation or of a leak, and every 6 months. Working days: Monday to Friday without Belgian public holidays.",
        }
        Overdue { nl: "te laat", en: "overdue" }
        ThisWeek { nl: "deze week", en: "this week" }
        ThisMonth { nl: "deze maand", en: "this month" }
        FilterDue { nl: "Zoek adres, wijk of eigenaar", en: "Search address, district or owner" }
        NothingDue { nl: "Niets te doen voor deze keuze.", en: "Nothing due for this choice." }
        InCampaign { nl: "al in een campagne", en: "already in a campaign" }
        MarkLeaked { nl: "Code gelekt…", en: "Code leaked…" }
        LeakExplain {
            nl: "Dit wordt in de audit bewaard, start de termijn van 5 werkdagen en plant meteen een dringende codewijziging voor deze kluis. Een lopende wijziging van deze kluis wordt geannuleerd.",
            en: "This is kept in the audit trail, starts the 5-working-day clock and plans an urgent code change for this safe at once. A change of this safe under way is cancelled.",
        }
        LeakNote {
            nl: "Wat weet je over het lek? (wie meldde het, hoe)",
            en: "What is known about the leak? (who reported it, how)",
        }
        LeakConfirm { nl: "Ja, meld als gelekt", en: "Yes, report as leaked" }
        LeakReportedOn { nl: "Lek gemeld op", en: "Leak reported on" }

        SpaceTitle { nl: "Coderuimte per model", en: "Code space per model" }
        SpaceExplain {
            nl: "Codes mogen niet op elkaar lijken, dus elk model heeft maar een beperkt aantal bruikbare codes. In gebruik: huidige en nieuwe codes, en oude codes in quarantaine.",
            en: "Codes must not resemble each other, so each model has a limited number of usable codes. In use: current and new codes, and old codes in quarantine.",
        }
        SpaceTight {
            nl: "Bijna vol: een campagne voor dit model heeft meer golven nodig.",
            en: "Nearly full: a campaign for this model needs more waves.",
        }
        NoModels { nl: "Geen modellen gevonden.", en: "No models found." }

        HistoryTitle { nl: "Geschiedenis van een kluis", en: "History of a safe" }
        HistorySearch { nl: "Kluis-id of adres", en: "Safe id or address" }
        HistoryHint {
            nl: "Typ een deel van een adres uit de lijst ‘Te doen’, of plak het id van een kluis.",
            en: "Type part of an address on the ‘Due’ list, or paste a safe's id.",
        }
        HistoryPick {
            nl: "Kies een kluis om haar codes en registraties te zien.",
            en: "Choose a safe to see its codes and records.",
        }
        CodesTitle { nl: "Codes (zonder waarden)", en: "Codes (without values)" }
        RecordsTitle { nl: "Registraties van vrijwilligers", en: "Volunteers' records" }
        NoRecords {
            nl: "Nog geen registraties van vrijwilligers.",
            en: "No records by volunteers yet.",
        }

        RepairsTitle { nl: "Herstellingen", en: "Repairs" }
        ShowResolved { nl: "Toon ook afgehandelde", en: "Also show resolved" }
        NoRepairs { nl: "Geen herstellingen voor deze keuze.", en: "No repairs for this choice." }
        StillOpen { nl: "open", en: "open" }

        NewTitle { nl: "Nieuwe campagne plannen", en: "Plan a new campaign" }
        NewExplain {
            nl: "Kies welke kluizen een nieuwe code krijgen. Kies ‘Lijst van kluizen’ met één id voor één enkele wijziging. De server verdeelt de kluizen in rondes per wijk en straat, en in golven als de coderuimte te krap is.",
            en: "Choose which safes get a new code. Choose ‘List of safes’ with one id for a single change. The server splits the safes into rounds by district and street, and into waves when the code space is too tight.",
        }
        CampaignName { nl: "Naam", en: "Name" }
        CampaignNameExample { nl: "bv. Rotatie voorjaar 2026", en: "e.g. Spring rotation 2026" }
        WhichSafes { nl: "Welke kluizen?", en: "Which safes?" }
        SelectAll { nl: "Alle kluizen", en: "All safes" }
        SelectCompany { nl: "Eén huisvestingsmaatschappij", en: "One housing company" }
        SelectDistrict { nl: "Eén wijk", en: "One district" }
        SelectList { nl: "Lijst van kluizen", en: "List of safes" }
        CompanyId { nl: "Id van de maatschappij", en: "Housing company id" }
        CompanyHint {
            nl: "De voorstellen komen uit de herstellingen; de server heeft (nog) geen lijst van maatschappijen.",
            en: "Suggestions come from the repairs; the server has no list of companies (yet).",
        }
        SafeIds { nl: "Kluis-id's", en: "Safe ids" }
        SafeIdsHint {
            nl: "Eén per regel, of gescheiden door komma's.",
            en: "One per line, or separated by commas.",
        }
        DueDate { nl: "Klaar uiterlijk (optioneel)", en: "Due by (optional)" }
        Plan { nl: "Plan campagne", en: "Plan campaign" }
        Planning { nl: "Bezig met plannen…", en: "Planning…" }
        NeedName { nl: "Geef de campagne een naam.", en: "Give the campaign a name." }
        NeedCompany { nl: "Geef het id van de maatschappij.", en: "Give the housing company's id." }
        NeedDistrict { nl: "Geef een wijk op.", en: "Give a district." }
        NeedSafes { nl: "Geef minstens één kluis-id.", en: "Give at least one safe id." }
        BadSafeId {
            nl: "Een kluis-id telt 32 tekens: cijfers en de letters a tot f.",
            en: "A safe id has 32 characters: digits and the letters a to f.",
        }
        OpenCampaign { nl: "Bekijk voortgang", en: "View progress" }
    }
    /// A text of the desktop, with its values.
    filled DeskMsg<'a> {
        PlannedNow(now: Count, rounds: Count) {
            nl: [now: "1 kluis krijgt nu een nieuwe code, in 1 ronde.", [
                rounds: "{now} kluizen krijgen nu een nieuwe code, in 1 ronde.",
                "{now} kluizen krijgen nu een nieuwe code, verdeeld over {rounds} rondes."
            ]],
            en: [now: "1 safe gets a new code now, in 1 round.", [
                rounds: "{now} safes get a new code now, in 1 round.",
                "{now} safes get a new code now, in {rounds} rounds."
            ]],
        }
        PlannedLater(later: Count, more: Count, days: Count) {
            nl: [more: [later:
                "1 kluis volgt in een latere golf: de codes passen niet allemaal tegelijk (een oude code blijft {days} dagen in quarantaine).",
                "{later} kluizen volgen in een latere golf: de codes passen niet allemaal tegelijk (een oude code blijft {days} dagen in quarantaine)."],
                "{later} kluizen volgen in {more} latere golven: de codes passen niet allemaal tegelijk (een oude code blijft {days} dagen in quarantaine)."],
            en: [more: [later:
                "1 safe follows in a later wave: the codes do not all fit at once (an old code stays in quarantine for {days} days).",
                "{later} safes follow in a later wave: the codes do not all fit at once (an old code stays in quarantine for {days} days)."],
                "{later} safes follow in {more} later waves: the codes do not all fit at once (an old code stays in quarantine for {days} days)."],
        }
        SpaceWaves(model: &'a str, in_use: Count, usable: Count, needed: Count, waves: Count) {
            nl: "{model}: {in_use} van {usable} bruikbare codes in gebruik; deze campagne heeft er {needed} extra nodig: {waves} golven. Een oude code blijft geblokkeerd zolang ze in quarantaine is, dus een volgende golf kan pas starten als de codes die de vorige golf vrijgaf uit quarantaine zijn.",
            en: "{model}: {in_use} of {usable} usable codes in use; this campaign needs {needed} more: {waves} waves. A retired code stays blocked during its quarantine, so a next wave can only start once the codes the previous wave retired have left quarantine.",
        }
        SpaceNearlyFull(model: &'a str, in_use: Count, usable: Count, needed: Count, peak: Count, percent: Count) {
            nl: "{model}: {in_use} van {usable} bruikbare codes in gebruik; deze campagne heeft er {needed} extra nodig, samen {peak} ({percent}%). De codes raken op: denk aan een model met meer knoppen of langere codes.",
            en: "{model}: {in_use} of {usable} usable codes in use; this campaign needs {needed} more, {peak} in all ({percent}%). Codes are running out: consider a model with more buttons or longer codes.",
        }
        ErrUnexpected(status: Count) {
            nl: "Onverwacht antwoord van de server (status {status}). Probeer later opnieuw.",
            en: "Unexpected answer from the server (status {status}). Please try again later.",
        }
        DueOn(date: &'a str) { nl: "klaar uiterlijk {date}", en: "due by {date}" }
        CreatedBy(name: &'a str) { nl: "aangemaakt door {name}", en: "created by {name}" }
        SafesCount(n: Count) { nl: [n: "1 kluis", "{n} kluizen"], en: [n: "1 safe", "{n} safes"] }
        WaitingExplain(n: Count) {
            nl: [n:
                "1 kluis wacht op een volgende golf: haar nieuwe code past pas in de coderuimte als de oude codes van de vorige golf uit quarantaine zijn.",
                "{n} kluizen wachten op een volgende golf: hun nieuwe code past pas in de coderuimte als de oude codes van de vorige golf uit quarantaine zijn."],
            en: [n:
                "1 safe waits for a later wave: its new code only fits in the code space once the old codes of the previous wave have left quarantine.",
                "{n} safes wait for a later wave: their new code only fits in the code space once the old codes of the previous wave have left quarantine."],
        }
        TextLength(field: &'a str, min: Count, max: Count) {
            nl: "{field}: geef {min} tot {max} tekens.",
            en: "{field}: give {min} to {max} characters.",
        }
        TextTooLong(field: &'a str, max: Count) {
            nl: "{field}: hoogstens {max} tekens.",
            en: "{field}: at most {max} characters.",
        }
        ExpiringSoon(n: Count, names: &'a str) {
            nl: [n: "De toegang van 1 persoon loopt binnen 14 dagen af: {names}.",
                 "De toegang van {n} personen loopt binnen 14 dagen af: {names}."],
            en: [n: "1 person's access ends within 14 days: {names}.",
                 "{n} people's access ends within 14 days: {names}."],
        }
        BuildingsShown(n: Count, total: Count) {
            nl: "{n} van {total} gebouwen",
            en: "{n} of {total} buildings",
        }
        InvitationFor(name: &'a str, login: &'a str, until: &'a str) {
            nl: "Voor {name} (gebruikersnaam {login}), geldig tot {until}.",
            en: "For {name} (username {login}), valid until {until}.",
        }
        NumberRange(field: &'a str, min: Count, max: Count) {
            nl: "{field}: geef een getal van {min} tot {max}.",
            en: "{field}: give a number from {min} to {max}.",
        }
        StatusChange(from: &'a str, to: &'a str) {
            nl: "Een kluis gaat niet van {from} naar {to}.",
            en: "A safe does not go from {from} to {to}.",
        }
        DateInPast(field: &'a str) {
            nl: "{field}: kies vandaag of later.",
            en: "{field}: choose today or later.",
        }
        TooMany(field: &'a str, max: Count) {
            nl: "{field}: hoogstens {max}.",
            en: "{field}: at most {max}.",
        }
        NotADate(field: &'a str) { nl: "{field}: kies een datum.", en: "{field}: pick a date." }
        UnknownSafe(id: &'a str) { nl: "Kluis {id} bestaat niet.", en: "Safe {id} does not exist." }
        NothingToChange(skipped: Count) {
            nl: [skipped:
                "Geen enkele kluis van deze selectie kan een nieuwe code krijgen (1 overgeslagen).",
                "Geen enkele kluis van deze selectie kan een nieuwe code krijgen ({skipped} overgeslagen)."],
            en: [skipped:
                "No safe of this selection can get a new code (1 skipped).",
                "No safe of this selection can get a new code ({skipped} skipped)."],
        }
        CodeSpaceFull(model: &'a str, in_use: Count, usable: Count) {
            nl: "Geen bruikbare code meer voor {model}: {in_use} van {usable} bruikbare codes zijn in gebruik of in quarantaine. Wacht tot codes uit quarantaine zijn, of kies minder kluizen.",
            en: "No usable code left for {model}: {in_use} of {usable} usable codes are in use or in quarantine. Wait until codes leave quarantine, or choose fewer safes.",
        }
        OutOfRange(field: &'a str, min: Count, max: Count) {
            nl: "{field}: geef een getal van {min} tot {max}.",
            en: "{field}: give a number from {min} to {max}.",
        }
        Today(date: &'a str) { nl: "Vandaag: {date}", en: "Today: {date}" }
        RowsShown(n: Count) {
            nl: [n: "1 kluis getoond", "{n} kluizen getoond"],
            en: [n: "1 safe shown", "{n} safes shown"],
        }
        LeakQuestion(address: &'a str) {
            nl: "Is de code van {address} bekend bij onbevoegden?",
            en: "Is the code of {address} known to unauthorised people?",
        }
        LeakDone(address: &'a str, due: &'a str, campaign: &'a str) {
            nl: "Lek gemeld voor {address}. Nieuwe code uiterlijk {due}; dringende campagne ‘{campaign}’ wacht op een vrijwilliger.",
            en: "Leak reported for {address}. New code due by {due}; urgent campaign ‘{campaign}’ waits for a volunteer.",
        }
        SpaceUsage(in_use: Count, usable: Count, percent: Count) {
            nl: "{in_use} van {usable} bruikbare codes in gebruik ({percent}%)",
            en: "{in_use} of {usable} usable codes in use ({percent}%)",
        }
        SafeLabel(id: &'a str) { nl: "Kluis {id}", en: "Safe {id}" }
        RepairsOpen(n: Count) { nl: "{n} open", en: "{n} open" }
        CreatedSummary(included: Count, selected: Count) {
            nl: [selected: "{included} van 1 gekozen kluis in de campagne", "{included} van {selected} gekozen kluizen in de campagne"],
            en: [selected: "{included} of 1 chosen safe in the campaign", "{included} of {selected} chosen safes in the campaign"],
        }
        RoundsPlanned(n: Count) {
            nl: [n: "1 ronde gepland voor de eerste golf.", "{n} rondes gepland voor de eerste golf."],
            en: [n: "1 round planned for the first wave.", "{n} rounds planned for the first wave."],
        }
        Skipped(n: Count) {
            nl: [n: "1 kluis overgeslagen", "{n} kluizen overgeslagen"],
            en: [n: "1 safe skipped", "{n} safes skipped"],
        }
    }
}
