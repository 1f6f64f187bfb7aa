// Word lists for synthetic data. Names come from many languages, some with accents, so that
// search normalisation (accent folding, hyphens, apostrophes) is exercised at scale.

export const FIRST_NAMES = [
  "Aiko", "Alejandro", "Aleksandra", "Ali", "Amara", "Ana", "Andrés", "Anna", "Anouk", "Arjun",
  "Astrid", "Aylin", "Bartosz", "Beatriz", "Benjamin", "Björn", "Camille", "Carlos", "Catalina", "Chen",
  "Chiara", "Chloé", "Christopher", "Dae-jung", "Daniel", "David", "Dmitri", "Efua", "Elena", "Elif",
  "Elizabeth", "Emeka", "Emma", "Émile", "Esra", "Fatima", "Felipe", "Francesca", "François", "Freya",
  "Gabriel", "Grace", "Hana", "Hannah", "Hassan", "Héctor", "Helga", "Hiroshi", "Ibrahim", "Inês",
  "Ingrid", "Isabel", "Ivan", "Jakub", "James", "Jana", "Javier", "Jia", "João", "Jonas",
  "José", "Julia", "Jürgen", "Kai", "Kateřina", "Kavya", "Kenji", "Kwame", "Lars", "Laura",
  "Lea", "Léa", "Li", "Lina", "Lucía", "Lukas", "Łukasz", "Maciej", "Magnus", "Malik",
  "María", "Marie", "Mateus", "Matthias", "Mei", "Mehmet", "Michael", "Miguel", "Mikael", "Min-jun",
  "Nadia", "Naledi", "Nikolai", "Nils", "Noa", "Noémie", "Olga", "Olivia", "Omar", "Oscar",
  "Paolo", "Patricia", "Pedro", "Pia", "Priya", "Rafael", "Rahul", "Ramón", "Rania", "Rebecca",
  "Renée", "Ricardo", "Rin", "Rosa", "Ruth", "Sakura", "Samuel", "Sara", "Sebastián", "Seo-yeon",
  "Sibusiso", "Siddharth", "Sofía", "Søren", "Stefan", "Sven", "Takeshi", "Tamar", "Thomas", "Thu",
  "Tomás", "Valentina", "Viktor", "Wei", "Wen", "William", "Xin", "Yara", "Yasmin", "Yuki",
  "Yusuf", "Zainab", "Zhang", "Zoë", "Zofia",
] as const;

export const LAST_NAMES = [
  "Abe", "Adeyemi", "Ahmed", "Almeida", "Andersen", "Andersson", "Araújo", "Bach", "Baker", "Banerjee",
  "Barros", "Becker", "Bergström", "Bianchi", "Błaszczyk", "Brown", "Bui", "Carvalho", "Castro", "Chen",
  "Cho", "Costa", "Cruz", "Dąbrowski", "Das", "de Jong", "de la Cruz", "Díaz", "Dubois", "Dvořák",
  "Eriksson", "Esposito", "Fernández", "Fischer", "Fontaine", "Fujita", "García", "Gómez", "González", "Gupta",
  "Haddad", "Hansen", "Hernández", "Hoffmann", "Horváth", "Huang", "Ibáñez", "Ivanov", "Jankowski", "Jensen",
  "Johansson", "Jones", "Kaya", "Khan", "Kim", "Kobayashi", "Kovačević", "Kowalski", "Kumar", "Lambert",
  "Larsen", "Laurent", "Lee", "Lefèvre", "Li", "Lindqvist", "Liu", "López", "Lozano", "Martín",
  "Martínez", "Meyer", "Mensah", "Moreau", "Morales", "Müller", "Murphy", "Nakamura", "Nguyễn", "Nielsen",
  "Novák", "Nowak", "Núñez", "O'Brien", "O'Connor", "Okafor", "Okonkwo", "Olsen", "Ortiz", "Öztürk",
  "Papadopoulos", "Park", "Patel", "Pereira", "Pérez", "Petrov", "Popescu", "Quispe", "Ramírez", "Rao",
  "Reddy", "Ribeiro", "Richter", "Rodríguez", "Romano", "Rossi", "Ruiz", "Saito", "Sánchez", "Santos",
  "Sato", "Schmidt", "Schneider", "Schröder", "Silva", "Singh", "Smith", "Sokolov", "Suzuki", "Šimić",
  "Takahashi", "Tanaka", "Tran", "Van den Berg", "van der Meer", "Vasquez", "Vogel", "Wagner", "Wang", "Watanabe",
  "Weber", "Williams", "Wójcik", "Wu", "Xu", "Yamamoto", "Yılmaz", "Yang", "Zhang", "Zhao",
  "Zieliński", "Żak",
] as const;

export const INITIALS = "ABCDEFGHIJKLMNOPRSTVW";

export interface Field {
  name: string;
  /** Research subjects in the field; a topic is a modifier plus one of these. */
  subjects: readonly string[];
  /** Things studied, for titles and abstracts. */
  objects: readonly string[];
}

export const FIELDS: readonly Field[] = [
  { name: "Machine Learning", subjects: ["Representation Learning", "Reinforcement Learning", "Graph Neural Networks", "Active Learning", "Federated Learning", "Causal Inference", "Few-Shot Learning", "Model Compression", "Generative Models", "Interpretability"], objects: ["language models", "neural networks", "training data", "embeddings", "benchmarks"] },
  { name: "Ecology", subjects: ["Coral Reef Ecology", "Pollination Networks", "Forest Dynamics", "Invasive Species", "Soil Microbiomes", "Population Genetics", "Wetland Restoration", "Predator-Prey Dynamics", "Urban Ecology", "Biodiversity Monitoring"], objects: ["species", "habitats", "ecosystems", "populations", "food webs"] },
  { name: "Condensed Matter Physics", subjects: ["Topological Insulators", "Superconductivity", "Spin Liquids", "Moiré Materials", "Phonon Transport", "Quantum Magnetism", "Soft Matter", "Thin Films", "Strongly Correlated Electrons", "Metamaterials"], objects: ["crystals", "lattices", "electrons", "phases", "materials"] },
  { name: "Neuroscience", subjects: ["Synaptic Plasticity", "Neural Circuits", "Sleep Physiology", "Motor Control", "Cortical Oscillations", "Neurodegeneration", "Visual Perception", "Memory Consolidation", "Neuroimaging", "Computational Psychiatry"], objects: ["neurons", "brain regions", "circuits", "patients", "networks"] },
  { name: "Climate Science", subjects: ["Ocean Circulation", "Sea Ice", "Carbon Cycle", "Atmospheric Aerosols", "Extreme Precipitation", "Paleoclimate", "Climate Projections", "Permafrost", "Monsoon Dynamics", "Cloud Feedbacks"], objects: ["climate models", "ice cores", "observations", "regions", "scenarios"] },
  { name: "Public Health", subjects: ["Vaccine Uptake", "Health Inequalities", "Infectious Disease Surveillance", "Nutrition Epidemiology", "Mental Health Services", "Tobacco Control", "Maternal Health", "Air Pollution Exposure", "Health Policy", "Digital Health"], objects: ["cohorts", "communities", "health records", "interventions", "populations"] },
  { name: "Economics", subjects: ["Labor Markets", "Monetary Policy", "Development Economics", "Behavioral Economics", "Industrial Organization", "Trade Policy", "Household Finance", "Environmental Economics", "Market Design", "Economic Growth"], objects: ["firms", "households", "markets", "countries", "policies"] },
  { name: "Chemistry", subjects: ["Organic Synthesis", "Catalysis", "Electrochemistry", "Photochemistry", "Polymer Chemistry", "Supramolecular Chemistry", "Computational Chemistry", "Green Chemistry", "Metal-Organic Frameworks", "Spectroscopy"], objects: ["catalysts", "molecules", "reactions", "polymers", "solvents"] },
  { name: "Genomics", subjects: ["Single-Cell Sequencing", "Gene Regulation", "Epigenomics", "Comparative Genomics", "CRISPR Screens", "Genome Assembly", "Population Genomics", "Transcriptomics", "Structural Variation", "Microbial Genomics"], objects: ["genomes", "cells", "variants", "transcripts", "samples"] },
  { name: "Linguistics", subjects: ["Language Acquisition", "Phonology", "Syntax", "Sociolinguistics", "Language Documentation", "Psycholinguistics", "Historical Linguistics", "Semantics", "Bilingualism", "Corpus Linguistics"], objects: ["languages", "speakers", "corpora", "dialects", "utterances"] },
  { name: "Astronomy", subjects: ["Exoplanets", "Galaxy Evolution", "Gravitational Waves", "Stellar Populations", "Cosmic Microwave Background", "Dark Matter", "Radio Astronomy", "Star Formation", "Black Hole Accretion", "Time-Domain Astronomy"], objects: ["galaxies", "stars", "surveys", "telescopes", "spectra"] },
  { name: "Materials Engineering", subjects: ["Battery Materials", "Additive Manufacturing", "Corrosion", "Composite Materials", "Ceramics", "Photovoltaics", "Fatigue and Fracture", "Nanomaterials", "Alloy Design", "Biomaterials"], objects: ["electrodes", "alloys", "coatings", "devices", "samples"] },
  { name: "Computer Systems", subjects: ["Distributed Databases", "Operating Systems", "Compilers", "Cloud Computing", "Network Protocols", "Storage Systems", "Program Analysis", "Formal Verification", "Computer Security", "Edge Computing"], objects: ["systems", "workloads", "programs", "clusters", "protocols"] },
  { name: "Sociology", subjects: ["Social Networks", "Migration", "Inequality", "Education Policy", "Urban Sociology", "Religion and Society", "Family Dynamics", "Social Movements", "Labor and Work", "Digital Media"], objects: ["survey data", "communities", "institutions", "households", "interviews"] },
  { name: "Mathematics", subjects: ["Algebraic Geometry", "Number Theory", "Partial Differential Equations", "Probability Theory", "Combinatorics", "Dynamical Systems", "Optimization", "Representation Theory", "Numerical Analysis", "Topology"], objects: ["equations", "operators", "graphs", "manifolds", "estimates"] },
  { name: "Immunology", subjects: ["T Cell Biology", "Innate Immunity", "Autoimmunity", "Vaccine Design", "Tumor Immunology", "Antibody Engineering", "Inflammation", "Host-Pathogen Interactions", "Immunometabolism", "Allergy"], objects: ["T cells", "antibodies", "patients", "mouse models", "cytokines"] },
  { name: "Hydrology", subjects: ["Groundwater", "Flood Forecasting", "River Morphology", "Snow Hydrology", "Water Quality", "Drought Monitoring", "Catchment Modelling", "Irrigation", "Urban Drainage", "Evapotranspiration"], objects: ["catchments", "rivers", "aquifers", "basins", "stations"] },
  { name: "Cognitive Science", subjects: ["Decision Making", "Attention", "Numerical Cognition", "Embodied Cognition", "Categorization", "Reasoning", "Working Memory", "Social Cognition", "Language Comprehension", "Metacognition"], objects: ["participants", "tasks", "children", "models", "experiments"] },
  { name: "Robotics", subjects: ["Motion Planning", "Legged Locomotion", "Robot Manipulation", "SLAM", "Human-Robot Interaction", "Swarm Robotics", "Soft Robotics", "Aerial Robotics", "Robot Learning", "Tactile Sensing"], objects: ["robots", "controllers", "sensors", "trajectories", "grippers"] },
  { name: "History", subjects: ["Medieval Trade", "Colonial Archives", "Environmental History", "History of Science", "Labor History", "Urban History", "Maritime History", "Oral History", "Early Modern Print", "Economic History"], objects: ["archives", "manuscripts", "cities", "merchants", "records"] },
];

export const TOPIC_MODIFIERS = [
  "Computational", "Experimental", "Theoretical", "Applied", "Statistical", "Quantitative", "Comparative",
  "Longitudinal", "Large-Scale", "Multiscale", "Bayesian", "Spatial", "Nonlinear", "Sustainable",
  "Data-Driven", "Mechanistic", "Translational", "Global", "Regional", "Emerging",
] as const;

export const METHODS = [
  "a Bayesian hierarchical model", "deep learning", "a randomized trial", "field experiments", "high-resolution simulations",
  "a multi-site survey", "causal inference", "network analysis", "a meta-analysis", "longitudinal data",
  "a new benchmark", "mixed methods", "spectral analysis", "a scalable algorithm", "archival evidence",
] as const;

export const FINDINGS = [
  "consistent effects", "a previously unreported trade-off", "strong heterogeneity", "robust scaling laws",
  "a sharp transition", "modest but reliable gains", "unexpected stability", "clear seasonal patterns",
  "substantial bias in earlier estimates", "a simple predictive rule",
] as const;

export const TITLE_PATTERNS = [
  (s: string, o: string, m: string) => `${s} in ${o}: evidence from ${m}`,
  (s: string, o: string) => `Towards a unified view of ${s.toLowerCase()} across ${o}`,
  (s: string, o: string) => `Rethinking ${s.toLowerCase()} for ${o}`,
  (s: string, o: string, m: string) => `${m[0]!.toUpperCase()}${m.slice(1)} for ${s.toLowerCase()} in ${o}`,
  (s: string, o: string) => `On the limits of ${s.toLowerCase()} in ${o}`,
  (s: string, o: string) => `${s} and the structure of ${o}`,
  (s: string, o: string) => `What drives ${s.toLowerCase()}? A study of ${o}`,
  (s: string, o: string) => `Scalable methods for ${s.toLowerCase()} in ${o}`,
] as const;

export const VENUE_PATTERNS = [
  (f: string) => `Journal of ${f}`,
  (f: string) => `${f} Letters`,
  (f: string) => `Annals of ${f}`,
  (f: string) => `${f} Review`,
  (f: string) => `Proceedings of the International Conference on ${f}`,
  (f: string) => `Frontiers in ${f}`,
] as const;

/** Work types as OpenAlex names them, with rough relative frequencies. */
export const WORK_TYPES = ["article", "preprint", "book-chapter", "review", "dataset", "dissertation"] as const;
export const WORK_TYPE_WEIGHTS = [70, 14, 6, 5, 3, 2] as const;

export const CITIES: readonly (readonly [city: string, country: string])[] = [
  ["Amsterdam", "NL"], ["Athens", "GR"], ["Auckland", "NZ"], ["Barcelona", "ES"], ["Beijing", "CN"],
  ["Bengaluru", "IN"], ["Berlin", "DE"], ["Bogotá", "CO"], ["Boston", "US"], ["Buenos Aires", "AR"],
  ["Cape Town", "ZA"], ["Chicago", "US"], ["Copenhagen", "DK"], ["Dublin", "IE"], ["Edinburgh", "GB"],
  ["Geneva", "CH"], ["Göttingen", "DE"], ["Helsinki", "FI"], ["Istanbul", "TR"], ["Kraków", "PL"],
  ["Kyoto", "JP"], ["Lagos", "NG"], ["Leuven", "BE"], ["Lisbon", "PT"], ["London", "GB"],
  ["Lyon", "FR"], ["Madrid", "ES"], ["Melbourne", "AU"], ["Mexico City", "MX"], ["Milan", "IT"],
  ["Montréal", "CA"], ["Mumbai", "IN"], ["München", "DE"], ["Nairobi", "KE"], ["Oslo", "NO"],
  ["Paris", "FR"], ["Prague", "CZ"], ["Québec", "CA"], ["Rio de Janeiro", "BR"], ["Santiago", "CL"],
  ["São Paulo", "BR"], ["Seoul", "KR"], ["Shanghai", "CN"], ["Singapore", "SG"], ["Stockholm", "SE"],
  ["Sydney", "AU"], ["Taipei", "TW"], ["Tokyo", "JP"], ["Toronto", "CA"], ["Uppsala", "SE"],
  ["Vienna", "AT"], ["Warsaw", "PL"], ["Zürich", "CH"],
];

export const INSTITUTION_PATTERNS = [
  (city: string) => `University of ${city}`,
  (city: string) => `${city} Institute of Technology`,
  (city: string, field: string) => `${city} Institute for ${field}`,
  (city: string) => `${city} Medical Centre`,
  (city: string, field: string, person: string) => `${person} Centre for ${field}, ${city}`,
  (city: string, field: string) => `National Laboratory for ${field}, ${city}`,
  (city: string) => `${city} Polytechnic University`,
  (city: string, _field: string, person: string) => `${person} College, ${city}`,
] as const;
