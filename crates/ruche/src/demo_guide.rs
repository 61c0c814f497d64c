//! The demo's guide (C10), written through the store like the editor pages do: seven
//! categories, 27 articles in French and Dutch (most also in English), some members-only,
//! one draft; two or three revisions each, dated over the past years by the named advisor
//! and administrator; links between articles; the articles explaining the expense, contract,
//! loan and training forms; and daily view counters from 1 January two years ago to
//! yesterday: about 265,000 views in the last full year, as in the reference year (266,000),
//! fewer in the years before (8 % growth a year).

use anyhow::Result;
use jiff::civil::{Date, date};
use ruche_domain::Language;
use ruche_domain::guide::{ArticleSettings, Audience, NewCategory, NewRevision, Slug, Status};
use ruche_store::{AuditContext, Store};

/// The yearly volume the daily counts are drawn from (weekends, summer and the 8 % growth
/// bring the last full year to about 265,000).
const VIEWS_A_YEAR: f64 = 290_000.0;

/// (FR, NL, EN) names of the categories, in display order.
const CATEGORIES: [(&str, &str, &str); 7] = [
    (
        "Frais et kilomètres",
        "Onkosten en kilometers",
        "Expenses and mileage",
    ),
    (
        "Contrats et salaires",
        "Contracten en lonen",
        "Contracts and pay",
    ),
    (
        "Devis et facturation",
        "Offertes en facturatie",
        "Quotes and invoicing",
    ),
    ("Prêts à 0 %", "Renteloze leningen", "0 % loans"),
    ("Formation", "Opleiding", "Training"),
    ("Sécurité sociale", "Sociale zekerheid", "Social security"),
    ("La coopérative", "De coöperatie", "The cooperative"),
];

struct Seed {
    slug: &'static str,
    category: usize,
    members_only: bool,
    draft: bool,
    form_key: Option<&'static str>,
    /// Relative readership (the most read articles are the practical ones).
    weight: f64,
    fr: (&'static str, &'static str),
    nl: (&'static str, &'static str),
    en: Option<(&'static str, &'static str)>,
}

#[allow(clippy::too_many_arguments)]
const fn article(
    slug: &'static str,
    category: usize,
    members_only: bool,
    form_key: Option<&'static str>,
    weight: f64,
    fr: (&'static str, &'static str),
    nl: (&'static str, &'static str),
    en: Option<(&'static str, &'static str)>,
) -> Seed {
    Seed {
        slug,
        category,
        members_only,
        draft: false,
        form_key,
        weight,
        fr,
        nl,
        en,
    }
}

const ARTICLES: [Seed; 27] = [
    article(
        "notes-de-frais",
        0,
        false,
        Some("expense"),
        9.0,
        (
            "Les notes de frais",
            "Une dépense faite pour votre activité vous est remboursée par le budget de l'activité.\n\n## Ce qui est remboursé\n\n- les achats utiles à l'activité (matériel, fournitures, billets de train) ;\n- les déplacements en voiture, au taux kilométrique officiel (voir [les frais kilométriques](/guide/frais-kilometriques)) ;\n- les factures d'un fournisseur, payées directement par la coopérative (voir [les fournisseurs](/guide/frais-fournisseurs)).\n\n## Comment\n\nIntroduisez la note dans ruche avec son justificatif (voir [les justificatifs](/guide/justificatifs)). Votre conseiller ou conseillère l'approuve si le budget disponible la couvre ; le remboursement part ensuite par virement SEPA.\n\nUne note refusée porte toujours sa raison.",
        ),
        (
            "Onkostennota's",
            "Een uitgave voor uw activiteit wordt terugbetaald uit het budget van de activiteit.\n\n## Wat wordt terugbetaald\n\n- aankopen die de activiteit nodig heeft (materiaal, benodigdheden, treintickets);\n- verplaatsingen met de wagen, tegen de officiële kilometervergoeding (zie [de kilometervergoeding](/guide/frais-kilometriques));\n- facturen van een leverancier, rechtstreeks betaald door de coöperatie (zie [leveranciers](/guide/frais-fournisseurs)).\n\n## Hoe\n\nDien de onkostennota in ruche in met het bewijsstuk (zie [bewijsstukken](/guide/justificatifs)). Uw adviseur keurt ze goed als het beschikbare budget volstaat; de terugbetaling volgt per SEPA-overschrijving.\n\nEen geweigerde nota vermeldt altijd de reden.",
        ),
        Some((
            "Expense claims",
            "An expense made for your activity is reimbursed from the activity's budget.\n\n## What is reimbursed\n\n- purchases the activity needs (equipment, supplies, train tickets);\n- car trips, at the official mileage rate (see [mileage](/guide/frais-kilometriques));\n- a supplier's invoices, paid directly by the cooperative (see [suppliers](/guide/frais-fournisseurs)).\n\n## How\n\nFile the claim in ruche with its receipt (see [receipts](/guide/justificatifs)). Your advisor approves it when the available budget covers it; the reimbursement then leaves by SEPA transfer.\n\nA refused claim always carries its reason.",
        )),
    ),
    article(
        "frais-kilometriques",
        0,
        false,
        None,
        8.0,
        (
            "Les frais kilométriques",
            "Un déplacement avec votre véhicule pour l'activité est remboursé au taux kilométrique officiel du trimestre, publié par le SPF Stratégie et Appui (BOSA).\n\nIndiquez le départ, l'arrivée, la date et les kilomètres réellement parcourus. Le taux du jour du trajet est gardé avec la note : un changement de taux ne modifie jamais une note déjà introduite.\n\nLe remboursement est limité à 24.000 km par an et par personne ; au-delà, le déplacement n'est plus une indemnité exonérée.",
        ),
        (
            "De kilometervergoeding",
            "Een verplaatsing met uw eigen voertuig voor de activiteit wordt vergoed tegen het officiële kilometertarief van het kwartaal, gepubliceerd door de FOD Beleid en Ondersteuning (BOSA).\n\nVermeld vertrek, aankomst, datum en de werkelijk gereden kilometers. Het tarief van de dag van de rit blijft bij de nota: een nieuw tarief verandert nooit een ingediende nota.\n\nDe vergoeding is beperkt tot 24.000 km per jaar en per persoon; daarboven is de verplaatsing geen vrijgestelde vergoeding meer.",
        ),
        Some((
            "Mileage allowance",
            "A trip with your own vehicle for the activity is reimbursed at the official per-kilometre rate of the quarter, published by the federal public service BOSA.\n\nGive the start, the destination, the date and the kilometres actually driven. The rate of the day of the trip stays with the claim: a new rate never changes a claim already filed.\n\nThe allowance is capped at 24,000 km a year per person; beyond that, the trip is no longer a tax-free allowance.",
        )),
    ),
    article(
        "justificatifs",
        0,
        true,
        None,
        4.0,
        (
            "Les justificatifs",
            "Chaque note de frais porte un justificatif lisible : facture au nom de la coopérative, ticket de caisse détaillé ou titre de transport.\n\nFormats acceptés : PDF, JPEG ou PNG, 10 Mo au plus. Le justificatif n'est visible que par vous, votre conseiller et la comptabilité.\n\nGardez l'original papier un an : la comptabilité peut le demander.",
        ),
        (
            "Bewijsstukken",
            "Elke onkostennota heeft een leesbaar bewijsstuk: factuur op naam van de coöperatie, gedetailleerd kasticket of vervoerbewijs.\n\nAanvaarde formaten: PDF, JPEG of PNG, hoogstens 10 MB. Het bewijsstuk is enkel zichtbaar voor u, uw adviseur en de boekhouding.\n\nBewaar het papieren origineel een jaar: de boekhouding kan het opvragen.",
        ),
        None,
    ),
    article(
        "frais-fournisseurs",
        0,
        true,
        None,
        2.5,
        (
            "Payer un fournisseur directement",
            "Plutôt que d'avancer une grosse dépense, demandez à la coopérative de payer la facture du fournisseur : introduisez une note de type « fournisseur » avec la facture, son IBAN et sa référence.\n\nAprès approbation, le paiement part par virement SEPA avec la communication du fournisseur.",
        ),
        (
            "Een leverancier rechtstreeks betalen",
            "In plaats van een grote uitgave voor te schieten, vraagt u de coöperatie de factuur van de leverancier te betalen: dien een nota van het type „leverancier” in met de factuur, het IBAN en de referentie.\n\nNa goedkeuring vertrekt de betaling per SEPA-overschrijving met de mededeling van de leverancier.",
        ),
        Some((
            "Paying a supplier directly",
            "Rather than advancing a large expense, ask the cooperative to pay the supplier's invoice: file a claim of type “supplier” with the invoice, its IBAN and its reference.\n\nOnce approved, the payment leaves by SEPA transfer with the supplier's reference.",
        )),
    ),
    article(
        "contrat-de-travail",
        1,
        false,
        Some("contract"),
        9.5,
        (
            "Les contrats de travail",
            "La coopérative est votre employeur : chaque prestation payée devient un contrat de travail, financé par le budget de votre activité.\n\n## Avant de planifier\n\n- le coût employeur total doit être couvert par [le budget de l'activité](/guide/contribution-mutualisee) ;\n- une journée ne dépasse pas 11 heures de travail, et les contrats d'une même personne ne se chevauchent pas (voir [le volume de travail](/guide/volume-de-travail)) ;\n- pour une commande confirmée mais pas encore payée, [le salaire garanti](/guide/salaire-garanti) peut avancer le salaire.\n\nLa déclaration Dimona est faite par la coopérative avant le début du contrat.",
        ),
        (
            "Arbeidsovereenkomsten",
            "De coöperatie is uw werkgever: elke betaalde prestatie wordt een arbeidsovereenkomst, gefinancierd uit het budget van uw activiteit.\n\n## Voor u plant\n\n- de totale werkgeverskost moet gedekt zijn door [het budget van de activiteit](/guide/contribution-mutualisee);\n- een dag telt hoogstens 11 uur werk, en de contracten van eenzelfde persoon overlappen niet (zie [het arbeidsvolume](/guide/volume-de-travail));\n- voor een bevestigde maar nog niet betaalde bestelling kan [het gewaarborgd loon](/guide/salaire-garanti) het loon voorschieten.\n\nDe Dimona-aangifte gebeurt door de coöperatie voor het contract begint.",
        ),
        Some((
            "Employment contracts",
            "The cooperative is your employer: each paid assignment becomes an employment contract, funded by your activity's budget.\n\n## Before planning\n\n- the total employer cost must be covered by [the activity's budget](/guide/contribution-mutualisee);\n- a day has at most 11 hours of work, and one person's contracts do not overlap (see [work volume](/guide/volume-de-travail));\n- for an order confirmed but not paid yet, [the salary guarantee](/guide/salaire-garanti) can advance the salary.\n\nThe cooperative files the Dimona declaration before the contract starts.",
        )),
    ),
    article(
        "salaire-garanti",
        1,
        false,
        None,
        6.0,
        (
            "Le salaire garanti",
            "Votre salaire est payé dans les 7 jours ouvrables qui suivent la fin de la prestation, même si le client n'a pas encore payé.\n\nLa coopérative avance alors le salaire sur un fonds mutualisé ; le paiement du client rembourse le fonds. Si le client ne paie jamais, c'est le fonds qui porte la perte, pas vous.\n\nCondition : une commande confirmée par le client (bon de commande signé en ligne).",
        ),
        (
            "Het gewaarborgd loon",
            "Uw loon wordt betaald binnen 7 werkdagen na het einde van de prestatie, ook als de klant nog niet betaald heeft.\n\nDe coöperatie schiet het loon dan voor uit een gemeenschappelijk fonds; de betaling van de klant vult het fonds weer aan. Betaalt de klant nooit, dan draagt het fonds het verlies, niet u.\n\nVoorwaarde: een door de klant bevestigde bestelling (online ondertekende bestelbon).",
        ),
        Some((
            "The salary guarantee",
            "Your salary is paid within 7 working days after the end of the assignment, even if the client has not paid yet.\n\nThe cooperative then advances the salary from a mutual fund; the client's payment refills the fund. If the client never pays, the fund bears the loss, not you.\n\nCondition: an order confirmed by the client (order confirmation signed online).",
        )),
    ),
    article(
        "simulation-salaire",
        1,
        false,
        None,
        7.0,
        (
            "Simuler un salaire",
            "Le simulateur part du budget que vous voulez consacrer et montre le coût employeur, le brut, les cotisations sociales, le précompte professionnel et le net.\n\nLes paramètres sont ceux de la date choisie : un simulateur de 2024 ne change pas quand les taux de 2026 arrivent.",
        ),
        (
            "Een loon simuleren",
            "De simulator vertrekt van het budget dat u wilt besteden en toont de werkgeverskost, het brutoloon, de sociale bijdragen, de bedrijfsvoorheffing en het nettoloon.\n\nDe parameters zijn die van de gekozen datum.",
        ),
        Some((
            "Simulating a salary",
            "The simulator starts from the budget you want to spend and shows the employer cost, the gross salary, social contributions, withholding tax and the net salary.\n\nThe parameters are those of the date chosen.",
        )),
    ),
    article(
        "contrat-artiste",
        1,
        false,
        None,
        5.0,
        (
            "Artistes : l'attestation du travail des arts",
            "Les artistes et techniciens du secteur peuvent demander l'attestation du travail des arts. Elle ouvre un régime de chômage adapté et permet certaines indemnités.\n\nIndiquez dans le contrat qu'il s'agit d'une prestation artistique : la coopérative applique les règles propres à ces contrats. Voir aussi [les droits d'auteur](/guide/droits-d-auteur).",
        ),
        (
            "Kunstenaars: het kunstwerkattest",
            "Kunstenaars en technici uit de sector kunnen het kunstwerkattest aanvragen. Het opent een aangepaste werkloosheidsregeling.\n\nVermeld in het contract dat het om een artistieke prestatie gaat: de coöperatie past de eigen regels van die contracten toe. Zie ook [auteursrechten](/guide/droits-d-auteur).",
        ),
        Some((
            "Artists: the arts work attestation",
            "Artists and technicians of the sector may apply for the arts work attestation. It opens an adapted unemployment scheme.\n\nState in the contract that the work is artistic: the cooperative applies the rules of such contracts. See also [author's rights](/guide/droits-d-auteur).",
        )),
    ),
    article(
        "droits-d-auteur",
        1,
        true,
        None,
        3.0,
        (
            "Les droits d'auteur",
            "Une partie de la rémunération d'une création peut être payée en droits d'auteur, avec un précompte mobilier forfaitaire, à côté du salaire.\n\nLa cession des droits est écrite dans le contrat et limitée à ce que l'œuvre rapporte réellement.",
        ),
        (
            "Auteursrechten",
            "Een deel van de vergoeding voor een creatie kan naast het loon in auteursrechten worden betaald, met een forfaitaire roerende voorheffing.\n\nDe overdracht van de rechten staat in het contract en is beperkt tot wat het werk werkelijk opbrengt.",
        ),
        None,
    ),
    article(
        "volume-de-travail",
        1,
        true,
        None,
        2.0,
        (
            "Le volume de travail",
            "Deux contrats d'une même personne ne peuvent pas se chevaucher, et une journée ne compte pas plus de 11 heures de travail.\n\nruche signale un chevauchement et refuse une journée au-delà de 11 heures, tous contrats confondus.",
        ),
        (
            "Het arbeidsvolume",
            "Twee contracten van eenzelfde persoon mogen niet overlappen, en een dag telt niet meer dan 11 uur werk.\n\nruche meldt een overlapping en weigert een dag van meer dan 11 uur, alle contracten samen.",
        ),
        Some((
            "Work volume",
            "Two contracts of the same person may not overlap, and a day has no more than 11 hours of work.\n\nruche flags an overlap and refuses a day over 11 hours, all contracts together.",
        )),
    ),
    article(
        "devis-et-bon-de-commande",
        2,
        false,
        None,
        6.5,
        (
            "Devis et bon de commande",
            "Un devis envoyé reçoit un numéro. Le client le confirme en ligne par le lien reçu : ce bon de commande confirmé ouvre le droit au [salaire garanti](/guide/salaire-garanti).\n\nUn devis a une durée de validité ; après, le client ne peut plus le confirmer.",
        ),
        (
            "Offerte en bestelbon",
            "Een verzonden offerte krijgt een nummer. De klant bevestigt ze online via de ontvangen link: die bevestigde bestelbon opent het recht op [het gewaarborgd loon](/guide/salaire-garanti).\n\nEen offerte heeft een geldigheidsduur; daarna kan de klant ze niet meer bevestigen.",
        ),
        Some((
            "Quotes and order confirmation",
            "A quote sent gets a number. The client confirms it online through the link received: this confirmed order opens the right to [the salary guarantee](/guide/salaire-garanti).\n\nA quote has a validity period; after it, the client can no longer confirm it.",
        )),
    ),
    article(
        "facturer-un-client",
        2,
        false,
        None,
        8.5,
        (
            "Facturer un client",
            "La coopérative est le vendeur : elle émet la facture, avec un numéro sans trou par série et par année, la TVA belge et une [communication structurée](/guide/communication-structuree).\n\nUne facture émise n'est jamais modifiée : une erreur se corrige par une note de crédit. Pour un client entreprise belge, la facture part aussi par [Peppol](/guide/peppol).",
        ),
        (
            "Een klant factureren",
            "De coöperatie is de verkoper: zij maakt de factuur op, met een doorlopend nummer per reeks en per jaar, Belgische btw en een [gestructureerde mededeling](/guide/communication-structuree).\n\nEen uitgereikte factuur wordt nooit gewijzigd: een fout wordt met een creditnota rechtgezet. Voor een Belgische ondernemingsklant vertrekt de factuur ook via [Peppol](/guide/peppol).",
        ),
        Some((
            "Invoicing a client",
            "The cooperative is the seller: it issues the invoice, with a gap-free number per series and year, Belgian VAT and a [structured communication](/guide/communication-structuree).\n\nAn issued invoice is never changed: a mistake is corrected by a credit note. For a Belgian business client, the invoice also leaves through [Peppol](/guide/peppol).",
        )),
    ),
    article(
        "communication-structuree",
        2,
        false,
        None,
        3.5,
        (
            "La communication structurée",
            "Chaque facture porte une communication structurée (+++123/4567/89012+++). Quand le client l'utilise, le paiement est reconnu automatiquement à l'import des extraits bancaires et le budget de l'activité est alimenté le jour même.\n\nSans elle, la comptabilité rapproche le paiement à la main, ce qui prend quelques jours.",
        ),
        (
            "De gestructureerde mededeling",
            "Elke factuur draagt een gestructureerde mededeling (+++123/4567/89012+++). Gebruikt de klant ze, dan wordt de betaling automatisch herkend bij het inlezen van de rekeninguittreksels en wordt het budget van de activiteit dezelfde dag aangevuld.\n\nZonder mededeling koppelt de boekhouding de betaling met de hand, wat enkele dagen duurt.",
        ),
        Some((
            "The structured communication",
            "Every invoice carries a structured communication (+++123/4567/89012+++). When the client uses it, the payment is recognised automatically when bank statements are imported and the activity's budget is credited the same day.\n\nWithout it, the accountants match the payment by hand, which takes a few days.",
        )),
    ),
    article(
        "peppol",
        2,
        false,
        None,
        4.0,
        (
            "La facture électronique Peppol",
            "Depuis le 1er janvier 2026, les factures entre entreprises belges sont électroniques et structurées (Peppol BIS 3.0). ruche envoie la facture par le réseau Peppol quand le client y est inscrit ; le PDF reste disponible.",
        ),
        (
            "De elektronische factuur via Peppol",
            "Sinds 1 januari 2026 zijn facturen tussen Belgische ondernemingen elektronisch en gestructureerd (Peppol BIS 3.0). ruche verstuurt de factuur via het Peppol-netwerk wanneer de klant erop aangesloten is; de pdf blijft beschikbaar.",
        ),
        Some((
            "Peppol e-invoices",
            "Since 1 January 2026, invoices between Belgian businesses are electronic and structured (Peppol BIS 3.0). ruche sends the invoice over the Peppol network when the client is registered on it; the PDF stays available.",
        )),
    ),
    article(
        "rappels-et-recouvrement",
        2,
        true,
        None,
        3.0,
        (
            "Rappels et recouvrement",
            "Une facture impayée reçoit des rappels automatiques. Pour un consommateur, le premier rappel est gratuit et un délai de 14 jours précède tout frais (Code de droit économique, art. XIX.2). Entre entreprises, les intérêts légaux de la loi du 2 août 2002 s'appliquent.\n\nAvant une mise en demeure, vous êtes consulté : vous connaissez votre client.",
        ),
        (
            "Herinneringen en invordering",
            "Een onbetaalde factuur krijgt automatische herinneringen. Voor een consument is de eerste herinnering gratis en gaat een termijn van 14 dagen aan elke kost vooraf (Wetboek van economisch recht, art. XIX.2). Tussen ondernemingen gelden de wettelijke interesten van de wet van 2 augustus 2002.\n\nVoor een ingebrekestelling wordt u geraadpleegd: u kent uw klant.",
        ),
        None,
    ),
    article(
        "tva-formations",
        2,
        true,
        None,
        1.5,
        (
            "TVA et formations",
            "Les formations données par l'entité de formation de la coopérative peuvent être exonérées de TVA (article 44 du Code de la TVA) lorsqu'elles remplissent les critères. La facture porte alors la mention légale de l'exonération.",
        ),
        (
            "Btw en opleidingen",
            "Opleidingen gegeven door de opleidingsentiteit van de coöperatie kunnen vrijgesteld zijn van btw (artikel 44 van het Btw-wetboek) wanneer ze aan de criteria voldoen. De factuur vermeldt dan de wettelijke vrijstelling.",
        ),
        None,
    ),
    article(
        "pret-a-zero",
        3,
        false,
        Some("loan"),
        5.5,
        (
            "Le prêt à 0 %",
            "La coopérative prête à ses membres sans intérêt ni frais, pour du matériel, des marchandises, une formation ou une avance de trésorerie.\n\nMontant : de 500 € à 25.000 €, remboursé en 3 à 60 mensualités. Une seule demande ouverte à la fois. Les [critères](/guide/criteres-de-pret) sont examinés avec votre conseiller.",
        ),
        (
            "De renteloze lening",
            "De coöperatie leent aan haar leden zonder interest of kosten, voor materiaal, goederen, een opleiding of een kasvoorschot.\n\nBedrag: van 500 € tot 25.000 €, terugbetaald in 3 tot 60 maandelijkse aflossingen. Eén openstaande aanvraag tegelijk. De [criteria](/guide/criteres-de-pret) worden met uw adviseur besproken.",
        ),
        Some((
            "The 0 % loan",
            "The cooperative lends to its members without interest or fees, for equipment, goods, training or a cash advance.\n\nAmount: from €500 to €25,000, repaid in 3 to 60 monthly instalments. One open request at a time. The [criteria](/guide/criteres-de-pret) are reviewed with your advisor.",
        )),
    ),
    article(
        "criteres-de-pret",
        3,
        true,
        None,
        2.5,
        (
            "Les critères d'un prêt",
            "Une demande de prêt est examinée sur cinq critères : une activité validée, un besoin chiffré, l'historique du budget, la capacité de remboursement et un entretien avec le conseiller.",
        ),
        (
            "De criteria van een lening",
            "Een leningaanvraag wordt op vijf criteria beoordeeld: een gevalideerde activiteit, een becijferde behoefte, de geschiedenis van het budget, de terugbetalingscapaciteit en een gesprek met de adviseur.",
        ),
        Some((
            "Loan criteria",
            "A loan request is reviewed on five criteria: a validated activity, a quantified need, the budget's history, the capacity to repay and a meeting with the advisor.",
        )),
    ),
    article(
        "remboursement-pret",
        3,
        true,
        None,
        1.5,
        (
            "Rembourser un prêt",
            "Les mensualités sont prélevées sur le budget de l'activité. Un retard est suivi par la trésorerie ; contactez votre conseiller dès qu'une mensualité pose problème.",
        ),
        (
            "Een lening terugbetalen",
            "De aflossingen worden van het budget van de activiteit afgehouden. Een achterstand wordt door de thesaurie opgevolgd; neem contact op met uw adviseur zodra een aflossing een probleem vormt.",
        ),
        None,
    ),
    article(
        "catalogue-formations",
        4,
        false,
        Some("training"),
        5.0,
        (
            "Publier une formation au catalogue",
            "Les formateurs membres publient leurs formations au catalogue public. Un client potentiel vous contacte par le formulaire du catalogue, sans voir votre adresse.\n\nPour la TVA, voir [TVA et formations](/guide/tva-formations).",
        ),
        (
            "Een opleiding in de catalogus publiceren",
            "Leden-opleiders publiceren hun opleidingen in de openbare catalogus. Een mogelijke klant neemt contact op via het formulier van de catalogus, zonder uw adres te zien.\n\nVoor de btw, zie [btw en opleidingen](/guide/tva-formations).",
        ),
        Some((
            "Publishing a training in the catalogue",
            "Member trainers publish their trainings in the public catalogue. A prospective client contacts you through the catalogue's form, without seeing your address.\n\nFor VAT, see [VAT and training](/guide/tva-formations).",
        )),
    ),
    article(
        "journees-de-formation",
        4,
        true,
        None,
        2.0,
        (
            "Les journées de formation des membres",
            "La coopérative organise chaque année des journées de formation pour ses membres : gestion, fiscalité, communication, droit d'auteur. Elles sont gratuites pour les membres ; l'inscription se fait dans ruche.",
        ),
        (
            "Opleidingsdagen voor leden",
            "De coöperatie organiseert elk jaar opleidingsdagen voor haar leden: beheer, fiscaliteit, communicatie, auteursrecht. Ze zijn gratis voor leden; inschrijven gebeurt in ruche.",
        ),
        None,
    ),
    article(
        "statut-social",
        5,
        false,
        None,
        6.0,
        (
            "Salarié plutôt qu'indépendant",
            "En travaillant sous contrat de la coopérative, vous êtes salarié : vous cotisez à la sécurité sociale des travailleurs salariés (pension, chômage, soins de santé, vacances annuelles).\n\nVous gardez l'autonomie de votre activité ; la coopérative porte les obligations de l'employeur.",
        ),
        (
            "Werknemer in plaats van zelfstandige",
            "Wie onder contract van de coöperatie werkt, is werknemer: u bouwt sociale zekerheid als werknemer op (pensioen, werkloosheid, gezondheidszorg, jaarlijkse vakantie).\n\nU behoudt de autonomie van uw activiteit; de coöperatie draagt de verplichtingen van de werkgever.",
        ),
        Some((
            "Employee rather than self-employed",
            "Working under a contract of the cooperative, you are an employee: you build up employees' social security (pension, unemployment, health care, annual holidays).\n\nYou keep the autonomy of your activity; the cooperative bears the employer's obligations.",
        )),
    ),
    article(
        "chomage-et-activite",
        5,
        true,
        None,
        4.5,
        (
            "Chômage et activité",
            "Une activité exercée pendant une période de chômage doit être déclarée à l'organisme de paiement avant de commencer. Les jours sous contrat sont indiqués sur la carte de contrôle.\n\nParlez-en à votre conseiller avant le premier contrat.",
        ),
        (
            "Werkloosheid en activiteit",
            "Een activiteit tijdens een periode van werkloosheid moet vóór de start aan de uitbetalingsinstelling worden gemeld. De dagen onder contract worden op de controlekaart aangeduid.\n\nBespreek het met uw adviseur voor het eerste contract.",
        ),
        None,
    ),
    article(
        "accident-du-travail",
        5,
        false,
        None,
        2.0,
        (
            "Accident du travail",
            "Pendant un contrat, vous êtes assuré contre les accidents du travail et sur le chemin du travail. Déclarez l'accident à la coopérative dans les 8 jours, avec un certificat médical.",
        ),
        (
            "Arbeidsongeval",
            "Tijdens een contract bent u verzekerd tegen arbeidsongevallen en ongevallen op de weg naar het werk. Meld het ongeval binnen 8 dagen aan de coöperatie, met een medisch attest.",
        ),
        Some((
            "Work accidents",
            "During a contract, you are insured against accidents at work and on the way to work. Report the accident to the cooperative within 8 days, with a medical certificate.",
        )),
    ),
    article(
        "contribution-mutualisee",
        6,
        false,
        None,
        5.5,
        (
            "Le budget de l'activité et la contribution",
            "Chaque paiement d'un client alimente le budget de votre activité, moins la contribution mutualisée de 6,5 % du chiffre d'affaires hors TVA. Elle finance l'accompagnement, la comptabilité, l'assurance, le fonds de garantie et le recouvrement.\n\nLe budget est consultable en temps réel ; il paie vos [contrats](/guide/contrat-de-travail), vos [frais](/guide/notes-de-frais) et vos mensualités de prêt.",
        ),
        (
            "Het budget van de activiteit en de bijdrage",
            "Elke betaling van een klant vult het budget van uw activiteit aan, min de gemeenschappelijke bijdrage van 6,5 % van de omzet zonder btw. Ze financiert de begeleiding, de boekhouding, de verzekering, het waarborgfonds en de invordering.\n\nHet budget is in real time te raadplegen; het betaalt uw [contracten](/guide/contrat-de-travail), uw [onkosten](/guide/notes-de-frais) en uw aflossingen.",
        ),
        Some((
            "The activity's budget and the contribution",
            "Every client payment credits your activity's budget, less the mutual contribution of 6.5 % of turnover excluding VAT. It funds the support, the accounts, the insurance, the guarantee fund and debt recovery.\n\nThe budget is visible in real time; it pays your [contracts](/guide/contrat-de-travail), your [expenses](/guide/notes-de-frais) and your loan instalments.",
        )),
    ),
    article(
        "assemblee-generale-vote",
        6,
        true,
        None,
        2.0,
        (
            "Voter à l'assemblée générale",
            "Chaque sociétaire a une voix, quel que soit le nombre de parts. Vous pouvez donner procuration à un autre sociétaire ; un sociétaire ne représente pas plus de voix que les statuts ne le permettent, et nul ne dispose de plus d'un dixième des voix présentes ou représentées.",
        ),
        (
            "Stemmen op de algemene vergadering",
            "Elke vennoot heeft één stem, ongeacht het aantal aandelen. U kunt volmacht geven aan een andere vennoot; niemand beschikt over meer dan een tiende van de aanwezige of vertegenwoordigde stemmen.",
        ),
        Some((
            "Voting at the general assembly",
            "Each member has one vote, whatever the number of shares. You may give a proxy to another member; nobody holds more than one tenth of the votes present or represented.",
        )),
    ),
    Seed {
        slug: "nouvelle-grille-frais-2027",
        category: 0,
        members_only: false,
        draft: true,
        form_key: None,
        weight: 0.0,
        fr: (
            "Frais : ce qui change en 2027 (brouillon)",
            "Projet : une note de frais pourra regrouper plusieurs justificatifs d'un même mois.\n\nÀ compléter après la décision du conseil.",
        ),
        nl: (
            "Onkosten: wat verandert in 2027 (ontwerp)",
            "Ontwerp: een onkostennota zal meerdere bewijsstukken van eenzelfde maand kunnen bundelen.",
        ),
        en: None,
    },
];

fn micros(day: Date) -> i64 {
    day.to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp().as_microsecond())
        .unwrap_or_default()
}

/// The first version of a text: without its last paragraph.
fn first_version(body: &str) -> String {
    match body.rsplit_once("\n\n") {
        Some((head, _)) if !head.trim().is_empty() => head.to_string(),
        _ => body.to_string(),
    }
}

/// A deterministic noise in [0.7, 1.3) from a day and an article.
fn noise(n: u64) -> f64 {
    let mut x = n.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03;
    x ^= x >> 29;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 32;
    0.7 + 0.6 * ((x % 10_000) as f64 / 10_000.0)
}

pub async fn seed(store: &Store, today: Date) -> Result<()> {
    if !store.guide_categories().await?.is_empty() {
        return Ok(());
    }
    let system = AuditContext::system();
    let author = |email: &'static str| async move {
        store
            .account_by_email(email)
            .await
            .ok()
            .flatten()
            .map(|a| AuditContext::account(a.id, None))
            .unwrap_or_default()
    };
    let advisor = author("conseiller@demo.ruche.coop").await;
    let admin = author("admin@demo.ruche.coop").await;
    let mut categories = Vec::with_capacity(CATEGORIES.len());
    for (i, (fr, nl, en)) in CATEGORIES.iter().enumerate() {
        let c = store
            .create_guide_category(
                &admin,
                &NewCategory {
                    name_fr: fr.to_string(),
                    name_nl: nl.to_string(),
                    name_en: en.to_string(),
                    position: i64::try_from(i).unwrap_or_default() * 10,
                },
            )
            .await?;
        categories.push(c.id);
    }
    let start = date(today.year() - 2, 1, 1);
    let weights: f64 = ARTICLES.iter().map(|a| a.weight).sum();
    for (n, a) in ARTICLES.iter().enumerate() {
        let Some(slug) = Slug::parse(a.slug) else {
            continue;
        };
        let settings = ArticleSettings {
            slug,
            category_id: categories[a.category],
            status: if a.draft {
                Status::Draft
            } else {
                Status::Published
            },
            audience: if a.members_only {
                Audience::Members
            } else {
                Audience::Public
            },
            form_key: a.form_key.map(str::to_string),
        };
        // Written two to three years ago, revised since: one revision per language at
        // creation (the first version), the full text a few months later, a correction
        // of the French this year for one article in three.
        let offset = i64::try_from(n).unwrap_or_default();
        let created = start
            .checked_sub(jiff::Span::new().days(200 - offset * 5))
            .unwrap_or(start);
        let revised = created
            .checked_add(jiff::Span::new().days(120 + offset * 11))
            .unwrap_or(created);
        let text = |language, (title, body): (&str, &str), full: bool, summary: &str| NewRevision {
            language,
            title: title.to_string(),
            body: if full {
                body.to_string()
            } else {
                first_version(body)
            },
            summary: summary.to_string(),
        };
        let article = store
            .create_guide_article_at(
                &advisor,
                &settings,
                &text(Language::Fr, a.fr, false, "Première version"),
                micros(created),
            )
            .await?;
        let mut langs = vec![(Language::Nl, a.nl, "Eerste versie")];
        if let Some(en) = a.en {
            langs.push((Language::En, en, "First version"));
        }
        for (lang, t, summary) in &langs {
            store
                .add_guide_revision_at(
                    &advisor,
                    article.id,
                    &text(*lang, *t, false, summary),
                    micros(created) + 3_600_000_000,
                )
                .await?;
        }
        store
            .add_guide_revision_at(
                &admin,
                article.id,
                &text(
                    Language::Fr,
                    a.fr,
                    true,
                    "Texte complet, liens vers les articles liés",
                ),
                micros(revised),
            )
            .await?;
        for (lang, t, _) in &langs {
            let summary = if *lang == Language::Nl {
                "Volledige tekst"
            } else {
                "Full text"
            };
            store
                .add_guide_revision_at(
                    &admin,
                    article.id,
                    &text(*lang, *t, true, summary),
                    micros(revised) + 7_200_000_000,
                )
                .await?;
        }
        if n % 3 == 0 && !a.draft {
            let this_year = date(today.year(), 1, 1)
                .checked_add(jiff::Span::new().days(offset * 4))
                .unwrap_or(today)
                .min(today);
            let mut corrected = text(Language::Fr, a.fr, true, "Relecture");
            corrected
                .body
                .push_str("\n\n*Mis à jour après la relecture du service juridique.*");
            store
                .add_guide_revision_at(&advisor, article.id, &corrected, micros(this_year))
                .await?;
        }
        if a.draft || a.weight <= 0.0 {
            continue;
        }
        // Views per day: the year's volume shared by weight, less at weekends and in
        // summer, growing 8 % a year; none before the article existed.
        let share = a.weight / weights;
        let mut days = Vec::new();
        let mut day = start.max(created);
        while day < today {
            let years_back = f64::from(today.year() - day.year());
            let growth = 1.08_f64.powf(-years_back);
            let weekday = match day.weekday() {
                jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday => 0.45,
                _ => 1.22,
            };
            let season = if day.month() == 7 || day.month() == 8 {
                0.6
            } else {
                1.07
            };
            let key = (day.year() as u64) * 1_000 + (day.day_of_year() as u64) + (n as u64) * 7_919;
            let views = VIEWS_A_YEAR / 365.0 * share * weekday * season * growth * noise(key);
            let views = views.round() as i64;
            if views > 0 {
                days.push((day, views));
            }
            day = match day.tomorrow() {
                Ok(d) => d,
                Err(_) => break,
            };
        }
        store.add_guide_views(&system, article.id, &days).await?;
    }
    Ok(())
}
