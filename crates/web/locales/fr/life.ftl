# La vie coopérative (C13) : la page d'accueil qui mène à ses parties, et les entrées du menu.
life-nav = Vie coopérative
life-title = Vie coopérative
life-intro = La coopérative se construit avec ses membres : formez-vous à l'école de la coopération, rejoignez un labo, proposez et soutenez des recommandations, suivez les avis du comité d'éthique et nos publications.
life-school = École de la coopération
life-school-text = Ateliers pour les membres et le personnel : culture coopérative, histoire, comprendre sa fiche de paie, préparer l'assemblée générale…
life-labs = Labos
life-labs-text = Des groupes menés par des membres : co-construction sectorielle, échange de pratiques, réseau, action collective, soutien entre pairs.
life-recommendations = Recommandations
life-recommendations-text = Des cycles pour proposer, soutenir et suivre jusqu'au conseil d'administration des recommandations.
life-ethics = Comité d'éthique
life-ethics-text = Saisines, réunions et avis du comité d'éthique.
life-advocacy = Plaidoyer et éducation permanente
life-advocacy-text = Publications, conférences et débats, réseaux dont la coopérative est membre.
places-nav = Lieux
prevention-report-nav = Signaler un incident
prevention-nav = Prévention
