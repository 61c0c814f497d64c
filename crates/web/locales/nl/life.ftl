# Het coöperatieve leven (C13): de startpagina naar zijn onderdelen, en de menu-items.
life-nav = Coöperatief leven
life-title = Coöperatief leven
life-intro = De coöperatie bouwen we samen met haar leden: volg workshops in de school van de coöperatie, sluit je aan bij een lab, stel aanbevelingen voor en steun ze, volg de adviezen van het ethisch comité en onze publicaties.
life-school = School van de coöperatie
life-school-text = Workshops voor leden en personeel: coöperatieve cultuur, geschiedenis, je loonbrief begrijpen, de algemene vergadering voorbereiden…
life-labs = Labs
life-labs-text = Groepen geleid door leden: sectorale co-constructie, uitwisseling van praktijken, netwerken, collectieve actie, steun onder gelijken.
life-recommendations = Aanbevelingen
life-recommendations-text = Cycli om aanbevelingen voor te stellen, te steunen en op te volgen tot bij de raad van bestuur.
life-ethics = Ethisch comité
life-ethics-text = Verzoeken, vergaderingen en adviezen van het ethisch comité.
life-advocacy = Belangenbehartiging en permanente vorming
life-advocacy-text = Publicaties, conferenties en debatten, netwerken waarvan de coöperatie lid is.
places-nav = Gebouwen
prevention-report-nav = Incident melden
prevention-nav = Preventie
