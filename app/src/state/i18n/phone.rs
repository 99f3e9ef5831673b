//! The phone's texts (sign-in, PIN, search, a safe, rounds). See [`super`] for the rules.

use super::{Count, texts};

texts! {
    /// A text of the phone's screens.
    plain Key {
        FreshNotYet { nl: "Nog niet bijgewerkt", en: "Not updated yet" }
        FreshNothingOffline {
            nl: "Offline — nog geen gegevens: maak even verbinding",
            en: "Offline — no data yet: connect briefly",
        }
        FreshJustNow { nl: "Bijgewerkt zonet", en: "Updated just now" }
        Today { nl: "vandaag", en: "today" }
        Yesterday { nl: "gisteren", en: "yesterday" }
        Tagline {
            nl: "De codes van de sleutelkluisjes, ook zonder verbinding.",
            en: "The codes of the key safes, even without a connection.",
        }
        LanguageGroup { nl: "Taal", en: "Language" }
        SignInTitle { nl: "Aanmelden", en: "Sign in" }
        SignInIntro {
            nl: "Meld je aan met de gegevens die je van je dienst kreeg.",
            en: "Sign in with the details your service gave you.",
        }
        LoginLabel { nl: "Gebruikersnaam", en: "Username" }
        PasswordLabel { nl: "Wachtwoord", en: "Password" }
        ShowPassword { nl: "Toon", en: "Show" }
        HidePassword { nl: "Verberg", en: "Hide" }
        ShowPasswordLabel { nl: "Toon wachtwoord", en: "Show password" }
        HidePasswordLabel { nl: "Verberg wachtwoord", en: "Hide password" }
        SignInButton { nl: "Aanmelden", en: "Sign in" }
        SigningIn { nl: "Bezig met aanmelden…", en: "Signing in…" }
        InstallApp { nl: "Kluis installeren", en: "Install Kluis" }
        InstallHint {
            nl: "Zet Kluis op je startscherm: dan opent hij ook zonder verbinding.",
            en: "Put Kluis on your home screen: it then opens without a connection too.",
        }
        WelcomeIntro { nl: "Je bent aangemeld.", en: "You are signed in." }
        Organisation { nl: "Organisatie", en: "Organisation" }
        Role { nl: "Rol", en: "Role" }
        SearchLabel { nl: "Zoek straat of gebouw", en: "Search street or building" }
        SearchHint {
            nl: "Typ een paar letters van de straat, eventueel met huisnummer.",
            en: "Type a few letters of the street, with a house number if you like.",
        }
        RoundsTitle { nl: "Mijn rondes", en: "My rounds" }
        NoRounds {
            nl: "Je hebt nu geen rondes. De coördinator wijst ze toe.",
            en: "You have no rounds now. The coordinator assigns them.",
        }
        BackToRound { nl: "Terug naar de ronde", en: "Back to the round" }
        OpenWith { nl: "Huidige code (om te openen)", en: "Current code (to open)" }
        FactoryDefault {
            nl: "Nog de fabriekscode: open zoals de handleiding zegt.",
            en: "Still the factory code: open as the manual says.",
        }
        NewCodeToSet { nl: "Nieuwe code (om in te stellen)", en: "New code (to set)" }
        MarkChanged { nl: "Gewijzigd", en: "Changed" }
        MarkFailed { nl: "Niet gelukt", en: "Could not change" }
        FailedWhy { nl: "Waarom niet?", en: "Why not?" }
        ReasonBroken { nl: "Kluis defect", en: "Safe broken" }
        ReasonKeyMissing { nl: "Sleutel weg", en: "Key missing" }
        ReasonNoAccess { nl: "Geen toegang", en: "No access" }
        ReasonOther { nl: "Andere", en: "Other" }
        NoteLabel { nl: "Opmerking (niet verplicht)", en: "Note (optional)" }
        ConfirmFailed { nl: "Bewaar: niet gelukt", en: "Save: could not change" }
        Cancel { nl: "Annuleer", en: "Cancel" }
        ItemToDo { nl: "Te doen", en: "To do" }
        ItemFailedHere { nl: "Niet gelukt (nog te versturen)", en: "Could not change (not sent yet)" }
        ItemDone { nl: "Gewijzigd", en: "Changed" }
        ItemFailed { nl: "Niet gelukt", en: "Could not change" }
        FreeRounds { nl: "Vrije rondes", en: "Free rounds" }
        TakeRound { nl: "Neem deze ronde", en: "Take this round" }
        FreeRoundsOffline {
            nl: "Maak verbinding om vrije rondes te zien.",
            en: "Connect to see free rounds.",
        }
        CoordinatorTitle { nl: "Overzicht", en: "Overview" }
        Results { nl: "Gevonden kluisjes", en: "Safes found" }
        Recent { nl: "Recent geopend", en: "Recently opened" }
        Back { nl: "Terug naar zoeken", en: "Back to search" }
        Placement { nl: "Waar hangt de kluis", en: "Where the safe hangs" }
        Model { nl: "Type kluis", en: "Safe model" }
        EvenSide { nl: "(even kant)", en: "(even side)" }
        OddSide { nl: "(oneven kant)", en: "(odd side)" }
        RevealCode { nl: "Toon code", en: "Show code" }
        HideCode { nl: "Verberg code", en: "Hide code" }
        CodeHeading { nl: "Code", en: "Code" }
        OrderNote { nl: "Volgorde maakt niet uit", en: "Order does not matter" }
        PreviousCode {
            nl: "Vorige code (als de nieuwe niet werkt)",
            en: "Previous code (if the new one fails)",
        }
        NewCode {
            nl: "Nieuwe code (als de code hierboven niet werkt: mogelijk al ingesteld)",
            en: "New code (if the code above fails: it may already be set)",
        }
        And { nl: "en", en: "and" }
        NoCode {
            nl: "Voor deze kluis is nog geen code gekend. Vraag het na bij de coördinator.",
            en: "No code is known for this safe yet. Ask the coordinator.",
        }
        SafeGone {
            nl: "Deze kluis staat niet meer in jouw lijst.",
            en: "This safe is no longer in your list.",
        }
        NeverSynced {
            nl: "Nog geen gegevens op dit toestel. Maak verbinding om ze op te halen.",
            en: "No data on this device yet. Connect to fetch it.",
        }
        SyncNow { nl: "Nu bijwerken", en: "Update now" }
        Lock { nl: "Vergrendel", en: "Lock" }
        Locked {
            nl: "Kluis is vergrendeld. Geef je pincode in.",
            en: "Kluis is locked. Enter your PIN.",
        }
        RoundTaken {
            nl: "Iemand anders nam deze ronde net, of ze heeft geen open kluisjes meer.",
            en: "Someone else just took this round, or it has no open safes left.",
        }
        ErrorRefused {
            nl: "De server weigerde dit. Probeer opnieuw of vraag de coördinator.",
            en: "The server refused this. Try again or ask the coordinator.",
        }
        StorageNotPersistent {
            nl: "Je browser mag de gegevens van Kluis wissen als het toestel weinig ruimte heeft. Installeer Kluis om dat te voorkomen.",
            en: "Your browser may erase Kluis's data when the device runs low on space. Install Kluis to prevent that.",
        }
        SignOut { nl: "Afmelden", en: "Sign out" }
        ActivateTitle { nl: "Activeer je account", en: "Activate your account" }
        ActivateIntro {
            nl: "Geef de activatiecode die je kreeg en kies een wachtwoord. Daarna kies je je pincode.",
            en: "Enter the activation code you were given and choose a password. Then you choose your PIN.",
        }
        ActivationCodeLabel { nl: "Activatiecode", en: "Activation code" }
        ChoosePasswordLabel { nl: "Kies een wachtwoord", en: "Choose a password" }
        RepeatPasswordLabel { nl: "Herhaal het wachtwoord", en: "Repeat the password" }
        PasswordRule {
            nl: "Minstens 12 tekens. Een zin van een paar woorden is sterk en makkelijk te onthouden.",
            en: "At least 12 characters. A sentence of a few words is strong and easy to remember.",
        }
        ActivateButton { nl: "Activeer", en: "Activate" }
        Activating { nl: "Bezig met activeren…", en: "Activating…" }
        HaveAccount { nl: "Ik heb al een account", en: "I already have an account" }
        HaveCode { nl: "Ik kreeg een activatiecode", en: "I was given an activation code" }
        ErrorActivationCode {
            nl: "Deze activatiecode is ongeldig, al gebruikt of verlopen. Vraag een nieuwe aan je beheerder.",
            en: "This activation code is invalid, used already or expired. Ask your administrator for a new one.",
        }
        ErrorPasswordsDiffer {
            nl: "De twee wachtwoorden zijn niet gelijk.",
            en: "The two passwords are not the same.",
        }
        ErrorPasswordCommon {
            nl: "Dit wachtwoord wordt te vaak gebruikt. Kies iets dat alleen jij bedenkt.",
            en: "This password is used too often. Choose something only you would think of.",
        }
        ErrorPasswordLikeLogin {
            nl: "Je wachtwoord lijkt op je gebruikersnaam of je naam. Kies iets anders.",
            en: "Your password looks like your username or your name. Choose something else.",
        }
        ErrorPasswordTooLong {
            nl: "Dit wachtwoord is te lang.",
            en: "This password is too long.",
        }
        ErrorMissingFields {
            nl: "Vul je gebruikersnaam en je wachtwoord in.",
            en: "Enter your username and your password.",
        }
        ErrorNetwork {
            nl: "Geen verbinding met de server. Controleer je internet en probeer opnieuw.",
            en: "Cannot reach the server. Check your internet connection and try again.",
        }
        ErrorTimeout {
            nl: "De server antwoordt niet. Probeer het zo dadelijk opnieuw.",
            en: "The server does not answer. Try again in a moment.",
        }
        ErrorInvalidCredentials {
            nl: "Onbekende gebruikersnaam of fout wachtwoord.",
            en: "Unknown username or wrong password.",
        }
        ErrorRateLimited {
            nl: "Te veel pogingen na elkaar. Wacht even en probeer dan opnieuw.",
            en: "Too many attempts in a row. Wait a moment, then try again.",
        }
        RoleCoordinator { nl: "Coördinator", en: "Coordinator" }
        RoleCarer { nl: "Zorgverlener", en: "Carer" }
        RoleServiceAdmin { nl: "Beheerder van de thuiszorgdienst", en: "Home-care service admin" }
        RoleVolunteer { nl: "Vrijwilliger", en: "Volunteer" }
        RoleHousingStaff { nl: "Medewerker huisvestingsmaatschappij", en: "Housing company staff" }
        OrgCareService { nl: "Thuiszorgdienst", en: "Home-care service" }
        OrgHousingCompany { nl: "Huisvestingsmaatschappij", en: "Housing company" }
        OrgCoordination { nl: "Coördinatie", en: "Coordination" }
        OrgVolunteers { nl: "Vrijwilligers", en: "Volunteers" }
        ChoosePinTitle { nl: "Kies een pincode", en: "Choose a PIN" }
        ChoosePinIntro {
            nl: "Met deze pincode open je Kluis op dit toestel, ook zonder verbinding. Kies minstens 6 cijfers.",
            en: "With this PIN you open Kluis on this device, even without a connection. Choose at least 6 digits.",
        }
        PinLabel { nl: "Pincode", en: "PIN" }
        PinRepeatLabel { nl: "Herhaal je pincode", en: "Repeat your PIN" }
        PinConfirm { nl: "Pincode bevestigen", en: "Confirm PIN" }
        PinMismatch {
            nl: "De twee pincodes zijn niet gelijk. Typ ze opnieuw.",
            en: "The two PINs are not the same. Type them again.",
        }
        PinTooShort {
            nl: "Je pincode moet minstens 6 cijfers hebben.",
            en: "Your PIN needs at least 6 digits.",
        }
        PinNotDigits {
            nl: "Een pincode bestaat alleen uit cijfers.",
            en: "A PIN consists of digits only.",
        }
        PinRepeated {
            nl: "Gebruik niet telkens hetzelfde cijfer.",
            en: "Do not use the same digit every time.",
        }
        PinSequence {
            nl: "Geen reeks die op- of afloopt, zoals 123456.",
            en: "No run counting up or down, like 123456.",
        }
        PinCommon { nl: "Deze pincode is te makkelijk te raden.", en: "This PIN is too easy to guess." }
        Securing { nl: "Bezig met beveiligen…", en: "Securing…" }
        SecuringHint {
            nl: "Je gegevens worden versleuteld op dit toestel bewaard.",
            en: "Your data is stored encrypted on this device.",
        }
        UnlockTitle { nl: "Geef je pincode in", en: "Enter your PIN" }
        UnlockButton { nl: "Openen", en: "Open" }
        Checking { nl: "Pincode controleren…", en: "Checking PIN…" }
        DeviceReset {
            nl: "Te vaak een foute pincode: de gegevens op dit toestel zijn gewist. Meld je opnieuw aan.",
            en: "Too many wrong PINs: the data on this device was erased. Please sign in again.",
        }
        DeviceWiped {
            nl: "Dit toestel is afgemeld. Meld je opnieuw aan.",
            en: "This device was signed out. Please sign in again.",
        }
        OtherDevice {
            nl: "Deze gegevens horen bij een andere browser of een ander toestel en gaan hier niet open. Ze zijn gewist. Meld je opnieuw aan.",
            en: "This data belongs to another browser or device and does not open here. It was erased. Please sign in again.",
        }
        PasskeyHint {
            nl: "Daarna vraagt je telefoon je vingerafdruk of schermvergrendeling.",
            en: "Then your phone asks for your fingerprint or screen lock.",
        }
        PasskeyCancelled {
            nl: "Bevestig met je vingerafdruk of schermvergrendeling om Kluis te openen.",
            en: "Confirm with your fingerprint or screen lock to open Kluis.",
        }
        SafeCountNone {
            nl: "Nog geen sleutelkluisjes op dit toestel",
            en: "No key safes on this device yet",
        }
        Syncing { nl: "Bezig met bijwerken…", en: "Updating…" }
        SyncFailed {
            nl: "Bijwerken lukte niet. Je ziet de gegevens van de laatste keer.",
            en: "Updating failed. You see the data from last time.",
        }
    }
    /// A text of the phone's screens, with its values.
    filled Msg<'a> {
        ErrorPasswordShort(min: Count) {
            nl: "Kies een wachtwoord van minstens {min} tekens.",
            en: "Choose a password of at least {min} characters.",
        }
        RoundLimit(n: Count) {
            nl: "Je hebt al {n} rondes met werk. Rond er eerst een af, of vraag de coördinator om meer.",
            en: [n:
                "You already have 1 round with work left. Finish it first, or ask the coordinator for more.",
                "You already have {n} rounds with work left. Finish one first, or ask the coordinator for more."],
        }
        ErrorAnswer(status: Count) {
            nl: "De server gaf een onverwacht antwoord (fout {status}). Probeer later opnieuw.",
            en: "The server gave an unexpected answer (error {status}). Try again later.",
        }
        FreshOffline(when: &'a str) {
            nl: "Offline — gegevens van {when}",
            en: "Offline — data from {when}",
        }
        FreshMinutes(n: Count) { nl: "Bijgewerkt {n} min geleden", en: "Updated {n} min ago" }
        FreshHours(n: Count) {
            nl: "Bijgewerkt {n} uur geleden",
            en: [n: "Updated 1 hour ago", "Updated {n} hours ago"],
        }
        FreshAt(when: &'a str) { nl: "Bijgewerkt {when}", en: "Updated {when}" }
        SignedInAs(name: &'a str) { nl: "Aangemeld als {name}", en: "Signed in as {name}" }
        HouseNumbersList(list: &'a str) { nl: "Huisnummers {list}", en: "House numbers {list}" }
        HouseNumbersRange(first: &'a str, last: &'a str) {
            nl: "Huisnummers {first} tot {last}",
            en: "House numbers {first} to {last}",
        }
        LocalFailed(reason: &'a str) {
            nl: "Kluis kon de gegevens op dit toestel niet bewaren of lezen ({reason}). Meld je opnieuw aan.",
            en: "Kluis could not store or read the data on this device ({reason}). Please sign in again.",
        }
        Welcome(name: &'a str) { nl: "Welkom, {name}", en: "Welcome, {name}" }
        NoMatches(query: &'a str) {
            nl: "Niets gevonden voor \u{201c}{query}\u{201d}. Kijk de spelling na of typ minder.",
            en: "Nothing found for \u{201c}{query}\u{201d}. Check the spelling or type less.",
        }
        MatchCount(n: Count) { nl: "{n} gevonden", en: "{n} found" }
        MoreMatches(n: Count) {
            nl: "Meer dan {n} gevonden: typ verder om te verfijnen.",
            en: "More than {n} found: keep typing to narrow down.",
        }
        RoundProgress(done: Count, total: Count) {
            nl: "{done} van {total} gewijzigd",
            en: "{done} of {total} changed",
        }
        RoundFailedCount(n: Count) { nl: "{n} niet gelukt", en: "{n} could not be changed" }
        DueBy(date: &'a str) { nl: "Klaar tegen {date}", en: "Due by {date}" }
        ItemSetHere(time: &'a str) {
            nl: "Gewijzigd om {time} (nog te versturen)",
            en: "Changed at {time} (not sent yet)",
        }
        RecordFailed(reason: &'a str) {
            nl: "Kon dit niet bewaren: {reason}",
            en: "Could not save this: {reason}",
        }
        RoundSafes(n: Count) {
            nl: [n: "1 kluisje", "{n} kluisjes"],
            en: [n: "1 safe", "{n} safes"],
        }
        PressKeys(keys: &'a str) { nl: "Druk op {keys}", en: "Press {keys}" }
        CodeSince(date: &'a str) { nl: "Geldig sinds {date}", en: "Valid since {date}" }
        LeaseExpired(hours: Count) {
            nl: "Maak even verbinding: je gegevens zijn ouder dan {hours} uur",
            en: [
                hours: "Connect briefly: your data is older than 1 hour",
                "Connect briefly: your data is older than {hours} hours"
            ],
        }
        ErrorUnexpected(status: Count) {
            nl: "Er ging iets mis bij het aanmelden (fout {status}). Probeer opnieuw.",
            en: "Something went wrong while signing in (error {status}). Try again.",
        }
        WrongPin(n: Count) {
            nl: [n: "Foute pincode. Nog 1 poging.", "Foute pincode. Nog {n} pogingen."],
            en: [n: "Wrong PIN. 1 attempt left.", "Wrong PIN. {n} attempts left."],
        }
        SafeCount(n: Count) {
            nl: [n: "1 sleutelkluisje", "{n} sleutelkluisjes"],
            en: [n: "1 key safe", "{n} key safes"],
        }
    }
}
