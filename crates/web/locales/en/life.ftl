# Cooperative life (C13): the landing page leading to its parts, and the menu entries.
life-nav = Cooperative life
life-title = Cooperative life
life-intro = The cooperative is built with its members: learn at the school of cooperation, join a lab, propose and support recommendations, follow the ethics committee's opinions and our publications.
life-school = School of cooperation
life-school-text = Workshops for members and staff: cooperative culture, history, understanding one's payslip, preparing the general assembly…
life-labs = Labs
life-labs-text = Member-led groups: sector co-construction, practice exchange, networking, collective action, peer support.
life-recommendations = Recommendations
life-recommendations-text = Cycles to propose, support and follow recommendations up to the board.
life-ethics = Ethics committee
life-ethics-text = Referrals, meetings and opinions of the ethics committee.
life-advocacy = Advocacy and permanent education
life-advocacy-text = Publications, conferences and debates, networks the cooperative belongs to.
places-nav = Places
prevention-report-nav = Report an incident
prevention-nav = Prevention
