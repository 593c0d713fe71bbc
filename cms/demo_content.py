# ruff: noqa: E501 - patient-education prose reads better unwrapped
"""Demo patient-education text for seed_demo (plain language, grade 6 to 8), every
topic and article in English and Spanish.

Each article is a dict the demo turns into an ArticlePage; bodies are lists of
(block type, value) pairs in ArticleBodyBlock's shape.
"""

TOPICS = [
    {
        "slug": "heart-health",
        "title": "Heart health",
        "intro": "Blood pressure, cholesterol and everyday habits that protect your heart.",
        "es_title": "Salud del corazón",
        "es_intro": "Presión arterial, colesterol y hábitos diarios que protegen su corazón.",
    },
    {
        "slug": "video-visits",
        "title": "Preparing for a video visit",
        "intro": "How to get ready so your video visit goes well.",
        "es_title": "Cómo prepararse para una visita por video",
        "es_intro": "Cómo prepararse para que su visita por video salga bien.",
    },
    {
        "slug": "urgent-care-by-video",
        "title": "Urgent care by video",
        "intro": "Which problems a video urgent-care visit can handle, and when to go in person.",
        "es_title": "Atención urgente por video",
        "es_intro": "Qué problemas se pueden atender en una visita urgente por video y cuándo ir en persona.",
    },
    {
        "slug": "nutrition",
        "title": "Nutrition",
        "intro": "Eating well, with help from a dietitian.",
        "es_title": "Nutrición",
        "es_intro": "Comer bien, con la ayuda de un dietista.",
    },
    {
        "slug": "mental-health",
        "title": "Mental health",
        "intro": "Stress, mood, worry and getting support, including counselling online.",
        "es_title": "Salud mental",
        "es_intro": "Estrés, estado de ánimo, preocupación y cómo recibir apoyo, también con terapia en línea.",
    },
    {
        "slug": "eye-care",
        "title": "Eye care",
        "intro": "Keeping your eyes and your sight healthy.",
        "es_title": "Cuidado de los ojos",
        "es_intro": "Cómo mantener sanos los ojos y la vista.",
    },
]

_EMERGENCY_FOOTER = (
    "callout",
    {
        "severity": "emergency",
        "heading": "Call 911 if you have signs of an emergency",
        "text": "<p>Call 911 for chest pain, trouble breathing, a face that droops, "
        "weakness on one side, sudden confusion or trouble speaking.</p>",
    },
)

ARTICLES = [
    {
        "key": "blood-pressure",
        "topic": "heart-health",
        "slug": "measuring-blood-pressure-at-home",
        "title": "Measuring your blood pressure at home",
        "summary": "Checking your blood pressure at home helps you and your care team see "
        "how you are really doing. Here is how to get a true reading.",
        "reviewed_days_ago": 40,
        "body": [
            (
                "paragraph",
                "<p>Blood pressure is the force of blood pushing on the walls of your "
                "blood vessels. High blood pressure often has no signs. Over time it can "
                "hurt your heart, brain, kidneys and eyes. Checking it at home shows your "
                "care team how you do in daily life, not just in the clinic.</p>"
                "<h2>Choose a good monitor</h2>"
                "<ul><li>Use a monitor with a cuff that goes on your upper arm.</li>"
                "<li>Make sure the cuff fits. Measure around your arm and check the size "
                "on the box.</li>"
                "<li>Bring your monitor to a visit once a year so your team can check it.</li></ul>"
                "<h2>Get ready</h2>"
                "<ul><li>Do not smoke, drink coffee or exercise for 30 minutes before.</li>"
                "<li>Empty your bladder.</li>"
                "<li>Sit in a chair with your back supported and both feet flat on the floor.</li>"
                "<li>Rest quietly for 5 minutes. Do not talk.</li></ul>"
                "<h2>Take the reading</h2>"
                "<ol><li>Put the cuff on bare skin, just above the bend of your elbow.</li>"
                "<li>Rest your arm on a table so the cuff is at the level of your heart.</li>"
                "<li>Press start and stay still.</li>"
                "<li>Wait one minute and take a second reading.</li>"
                "<li>Write down both numbers, the date and the time.</li></ol>"
                "<p>Check in the morning before you take your medicines and again in the "
                "evening. Do this for 7 days before a visit, or as your care team asks.</p>",
            ),
            (
                "table",
                {
                    "data": [
                        ["Top number", "Bottom number", "What it means"],
                        ["Less than 120", "Less than 80", "Normal"],
                        ["120 to 129", "Less than 80", "Raised"],
                        ["130 to 139", "80 to 89", "High, stage 1"],
                        ["140 or more", "90 or more", "High, stage 2"],
                    ],
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "table_caption": "Blood pressure numbers for adults",
                },
            ),
            (
                "callout",
                {
                    "severity": "warning",
                    "heading": "Call your care team",
                    "text": "<p>Call your care team the same day if your top number is "
                    "180 or more or your bottom number is 120 or more, and you feel fine. "
                    "Rest 5 minutes and check again first.</p>",
                },
            ),
            (
                "callout",
                {
                    "severity": "emergency",
                    "heading": "Call 911",
                    "text": "<p>Call 911 if your reading is that high and you also have "
                    "chest pain, shortness of breath, back pain, numbness, weakness, "
                    "trouble seeing or trouble speaking.</p>",
                },
            ),
            (
                "faq",
                [
                    {
                        "question": "Why is my home reading different from the clinic?",
                        "answer": "<p>Many people are a bit tense at the clinic, so the "
                        "number is higher there. That is why home readings help.</p>",
                    },
                    {
                        "question": "Can I use a wrist monitor?",
                        "answer": "<p>Upper-arm monitors are more exact. Ask your care "
                        "team if your arm is too large for a cuff.</p>",
                    },
                ],
            ),
        ],
        "references": "<ul><li>American Heart Association. Monitoring your blood "
        "pressure at home.</li><li>Centers for Disease Control and Prevention. "
        "Measure your blood pressure.</li></ul>",
        "es": {
            "title": "Cómo medir la presión arterial en casa",
            "summary": "Medir la presión arterial en casa ayuda a usted y a su equipo de "
            "atención a ver cómo está en realidad. Así se obtiene una medida correcta.",
            "body": [
                (
                    "paragraph",
                    "<p>La presión arterial es la fuerza de la sangre contra las paredes de "
                    "los vasos sanguíneos. La presión alta muchas veces no da síntomas. Con "
                    "el tiempo puede dañar el corazón, el cerebro, los riñones y los ojos.</p>"
                    "<h2>Prepárese</h2>"
                    "<ul><li>No fume, no tome café y no haga ejercicio 30 minutos antes.</li>"
                    "<li>Vaya al baño antes de medir.</li>"
                    "<li>Siéntese con la espalda apoyada y los pies en el piso.</li>"
                    "<li>Descanse 5 minutos sin hablar.</li></ul>"
                    "<h2>Tome la medida</h2>"
                    "<ol><li>Ponga el brazalete sobre la piel, arriba del codo.</li>"
                    "<li>Apoye el brazo en una mesa, a la altura del corazón.</li>"
                    "<li>Presione el botón y quédese quieto.</li>"
                    "<li>Espere un minuto y mida otra vez.</li>"
                    "<li>Anote los dos números, la fecha y la hora.</li></ol>",
                ),
                (
                    "callout",
                    {
                        "severity": "emergency",
                        "heading": "Llame al 911",
                        "text": "<p>Llame al 911 si el número de arriba es 180 o más o el "
                        "de abajo es 120 o más y además tiene dolor de pecho, falta de "
                        "aire, debilidad, problemas para ver o para hablar.</p>",
                    },
                ),
            ],
        },
    },
    {
        "key": "video-visit",
        "topic": "video-visits",
        "slug": "getting-ready-for-your-video-visit",
        "title": "Getting ready for your video visit",
        "summary": "A few simple steps before your video visit help you get the most "
        "from your time with your care team.",
        "reviewed_days_ago": 20,
        "body": [
            (
                "paragraph",
                "<p>A video visit lets you see your care team from home. You need a phone, "
                "tablet or computer with a camera, a microphone and an internet link.</p>"
                "<h2>The day before</h2>"
                "<ul><li>Test your device. Open the visit link early and allow the camera "
                "and microphone.</li>"
                "<li>Charge your device.</li>"
                "<li>Write down your questions and the medicines you take, with the doses.</li>"
                "<li>If you check your blood pressure, weight or blood sugar at home, have "
                "your numbers ready.</li></ul>"
                "<h2>Just before the visit</h2>"
                "<ul><li>Find a quiet, private room with good light in front of you, not "
                "behind you.</li>"
                "<li>Join 10 minutes early. You may wait in a lobby until your clinician "
                "lets you in.</li>"
                "<li>Have your pharmacy name and phone number close by.</li>"
                "<li>If you need an interpreter, tell the clinic when you book.</li></ul>"
                "<h2>During the visit</h2>"
                "<p>Speak up if you cannot hear or see well. Your clinician may ask you to "
                "move the camera to show a rash or a swollen ankle. At the end, repeat the "
                "plan in your own words so you are sure you understood it.</p>",
            ),
            (
                "faq",
                [
                    {
                        "question": "What if the video stops working?",
                        "answer": "<p>Try joining again with the same link. If that does "
                        "not work, your clinician will call you on the phone.</p>",
                    },
                    {
                        "question": "Is a video visit private?",
                        "answer": "<p>Yes. The visit is not recorded, and only the people "
                        "your clinician lets in can join.</p>",
                    },
                ],
            ),
            _EMERGENCY_FOOTER,
        ],
        "references": "<ul><li>Agency for Healthcare Research and Quality. Telehealth: "
        "tips for patients.</li></ul>",
        "es": {
            "title": "Cómo prepararse para su visita por video",
            "summary": "Unos pasos sencillos antes de su visita por video le ayudan a "
            "aprovechar mejor el tiempo con su equipo de atención.",
            "body": [
                (
                    "paragraph",
                    "<p>Una visita por video le permite ver a su equipo de atención desde "
                    "su casa. Necesita un teléfono, tableta o computadora con cámara, "
                    "micrófono e internet.</p>"
                    "<h2>El día antes</h2>"
                    "<ul><li>Pruebe su equipo. Abra el enlace antes y permita la cámara y "
                    "el micrófono.</li>"
                    "<li>Cargue la batería.</li>"
                    "<li>Anote sus preguntas y los medicamentos que toma, con la dosis.</li></ul>"
                    "<h2>Antes de empezar</h2>"
                    "<ul><li>Busque un lugar tranquilo y privado, con luz de frente.</li>"
                    "<li>Entre 10 minutos antes. Puede esperar en una sala hasta que el "
                    "personal clínico le deje entrar.</li>"
                    "<li>Si necesita intérprete, avise a la clínica al hacer la cita.</li></ul>",
                ),
                (
                    "callout",
                    {
                        "severity": "emergency",
                        "heading": "Llame al 911 en una emergencia",
                        "text": "<p>Llame al 911 si tiene dolor de pecho, falta de aire, la "
                        "cara caída, debilidad de un lado o problemas para hablar.</p>",
                    },
                ),
            ],
        },
    },
    {
        "key": "urgent-care",
        "topic": "urgent-care-by-video",
        "slug": "video-urgent-care-or-emergency-room",
        "title": "Video urgent care or the emergency room?",
        "summary": "Many common problems can be treated by video. Some signs mean you "
        "need the emergency room right away.",
        "reviewed_days_ago": 75,
        "body": [
            (
                "paragraph",
                "<p>A video urgent-care visit is a fast way to get care for problems that "
                "are not life-threatening. You can often get advice and, if needed, a "
                "prescription sent to your pharmacy.</p>"
                "<h2>Problems a video visit can often handle</h2>"
                "<ul><li><strong>Rashes</strong> such as mild skin irritation, poison ivy "
                "or a small area of redness. Your clinician will ask to see it on camera.</li>"
                "<li><strong>Back pain</strong> after lifting or twisting, without "
                "numbness or weakness.</li>"
                "<li><strong>Bladder infection</strong> (urinary tract infection) in women "
                "who are not pregnant: burning when you pee or needing to pee often.</li>"
                "<li>Colds, coughs, sore throat, pink eye and allergies.</li></ul>",
            ),
            (
                "callout",
                {
                    "severity": "emergency",
                    "heading": "Go to the emergency room or call 911",
                    "text": "<ul><li>Chest pain or pressure, or trouble breathing.</li>"
                    "<li>Signs of a stroke: face drooping, arm weakness, trouble speaking.</li>"
                    "<li>A rash with fever that spreads fast, or a rash with swelling of "
                    "the lips or tongue.</li>"
                    "<li>Back pain with new numbness, weakness in the legs, or trouble "
                    "controlling your bladder or bowels.</li>"
                    "<li>Urinary symptoms with high fever, shaking chills, vomiting or pain "
                    "in your side.</li>"
                    "<li>Bad bleeding, a head injury, or thoughts of harming yourself.</li></ul>",
                },
            ),
            (
                "paragraph",
                "<h2>What to have ready</h2>"
                "<p>Know when the problem started, what makes it better or worse, and your "
                "temperature if you have a thermometer. Have a list of your medicines and "
                "allergies. If your clinician thinks you need an exam or a test, they will "
                "tell you where to go.</p>",
            ),
        ],
        "references": "<ul><li>American College of Emergency Physicians. When to go "
        "to the emergency department.</li></ul>",
        "es": {
            "title": "¿Atención urgente por video o sala de emergencias?",
            "summary": "Muchos problemas comunes se pueden tratar por video. Algunas señales "
            "significan que necesita ir a la sala de emergencias de inmediato.",
            "body": [
                (
                    "paragraph",
                    "<p>Una visita urgente por video es una forma rápida de recibir atención "
                    "para problemas que no ponen en peligro la vida. A menudo puede recibir "
                    "consejos y, si hace falta, una receta enviada a su farmacia.</p>"
                    "<h2>Problemas que una visita por video suele atender</h2>"
                    "<ul><li><strong>Sarpullidos</strong> leves. Su profesional clínico le "
                    "pedirá verlos en la cámara.</li>"
                    "<li><strong>Dolor de espalda</strong> después de levantar algo, sin "
                    "entumecimiento ni debilidad.</li>"
                    "<li><strong>Infección de la vejiga</strong> en mujeres que no están "
                    "embarazadas: ardor al orinar o ganas de orinar seguido.</li>"
                    "<li>Resfriados, tos, dolor de garganta, conjuntivitis y alergias.</li></ul>",
                ),
                (
                    "callout",
                    {
                        "severity": "emergency",
                        "heading": "Vaya a la sala de emergencias o llame al 911",
                        "text": "<ul><li>Dolor o presión en el pecho, o dificultad para respirar.</li>"
                        "<li>Señales de un derrame cerebral: cara caída, debilidad en un brazo, "
                        "dificultad para hablar.</li>"
                        "<li>Sangrado fuerte, un golpe en la cabeza o pensamientos de hacerse daño.</li></ul>",
                    },
                ),
            ],
        },
    },
    {
        "key": "nutrition",
        "topic": "nutrition",
        "slug": "nutrition-counselling-by-video",
        "title": "Nutrition counselling by video: what to expect",
        "summary": "A registered dietitian can help you eat well for your health goals. "
        "Here is how a video visit with a dietitian works.",
        "reviewed_days_ago": 100,
        "body": [
            (
                "paragraph",
                "<p>A registered dietitian is a food and nutrition expert. They can help "
                "if you have diabetes, high blood pressure, high cholesterol, kidney "
                "disease or food allergies, or if you want to reach a healthy weight.</p>"
                "<h2>Before the visit</h2>"
                "<ul><li>Write down what you eat and drink for 3 days, with rough amounts.</li>"
                "<li>Have your recent lab results and your medicine list close by.</li>"
                "<li>Think about one or two goals you want to work on.</li></ul>"
                "<h2>During the visit</h2>"
                "<p>The dietitian will ask about your meals, your schedule, your budget and "
                "the foods you enjoy. Together you will pick small, real changes, like "
                "adding a vegetable to lunch or swapping sweet drinks for water. Show "
                "them your kitchen or food labels on camera if it helps.</p>"
                "<h2>Simple habits that help most people</h2>"
                "<ul><li>Fill half your plate with vegetables and fruit.</li>"
                "<li>Choose whole grains, beans and lean protein.</li>"
                "<li>Cut down on salt, sugary drinks and highly processed food.</li></ul>",
            ),
            (
                "callout",
                {
                    "severity": "info",
                    "heading": "Good to know",
                    "text": "<p>Many health plans pay for nutrition counselling if you "
                    "have diabetes or kidney disease. Ask your plan before the visit.</p>",
                },
            ),
        ],
        "references": "<ul><li>Academy of Nutrition and Dietetics. What is a "
        "registered dietitian nutritionist?</li><li>U.S. Department of Agriculture. "
        "MyPlate.</li></ul>",
        "es": {
            "title": "Asesoría de nutrición por video: qué esperar",
            "summary": "Un dietista registrado puede ayudarle a comer bien para sus metas de "
            "salud. Así funciona una visita por video con un dietista.",
            "body": [
                (
                    "paragraph",
                    "<p>Un dietista registrado es un experto en alimentación y nutrición. Puede "
                    "ayudarle si tiene diabetes, presión arterial alta, colesterol alto o "
                    "alergias a alimentos, o si quiere llegar a un peso saludable.</p>"
                    "<h2>Antes de la visita</h2>"
                    "<ul><li>Anote lo que come y bebe durante 3 días.</li>"
                    "<li>Tenga a mano sus análisis recientes y su lista de medicinas.</li>"
                    "<li>Piense en una o dos metas que quiera trabajar.</li></ul>"
                    "<h2>Hábitos sencillos que ayudan a casi todos</h2>"
                    "<ul><li>Llene la mitad del plato con verduras y frutas.</li>"
                    "<li>Elija granos integrales, frijoles y proteínas magras.</li>"
                    "<li>Coma menos sal, bebidas azucaradas y comida muy procesada.</li></ul>",
                ),
                (
                    "callout",
                    {
                        "severity": "info",
                        "heading": "Bueno saberlo",
                        "text": "<p>Muchos seguros pagan la asesoría de nutrición si tiene "
                        "diabetes o enfermedad de los riñones. Pregunte a su seguro antes.</p>",
                    },
                ),
            ],
        },
    },
    {
        "key": "mental-health",
        "topic": "mental-health",
        "slug": "mental-health-counselling-online",
        "title": "Mental health counselling online",
        "summary": "Talking with a counsellor by video can help with stress, worry and "
        "low mood. It works as well as in person for many people.",
        "reviewed_days_ago": 60,
        "body": [
            (
                "paragraph",
                "<p>Everyone feels stressed, worried or down sometimes. If these feelings "
                "last more than two weeks or get in the way of work, school or family "
                "life, talking with a counsellor can help.</p>"
                "<h2>How online counselling works</h2>"
                "<p>You meet a licensed counsellor, psychologist or social worker by video. "
                "Sessions usually last 45 to 60 minutes. You talk about what is going on "
                "and learn skills to cope. Many people feel better after a few sessions.</p>"
                "<h2>Make it work for you</h2>"
                "<ul><li>Find a private place where no one can hear you. Headphones help.</li>"
                "<li>Turn off other alerts on your device.</li>"
                "<li>It is fine to say what is not working for you. A good fit matters.</li></ul>",
            ),
            (
                "callout",
                {
                    "severity": "emergency",
                    "heading": "If you are thinking about harming yourself",
                    "text": "<p>Call or text 988 to reach the Suicide and Crisis Lifeline, "
                    "any time, day or night. If you are in danger now, call 911.</p>",
                },
            ),
            (
                "faq",
                [
                    {
                        "question": "Is online counselling private?",
                        "answer": "<p>Yes. Your counsellor follows the same privacy rules "
                        "as in person. Sessions are not recorded.</p>",
                    },
                    {
                        "question": "Will I need medicine?",
                        "answer": "<p>Not always. Talk therapy alone helps many people. "
                        "Your counsellor can refer you if medicine might help.</p>",
                    },
                ],
            ),
        ],
        "references": "<ul><li>National Institute of Mental Health. Tips for talking "
        "with a health care provider about your mental health.</li><li>988 Suicide and "
        "Crisis Lifeline.</li></ul>",
        "es": {
            "title": "Terapia de salud mental en línea",
            "summary": "Hablar con un consejero por video puede ayudar con el estrés, la "
            "preocupación y el ánimo bajo. Para muchas personas funciona igual que en persona.",
            "body": [
                (
                    "paragraph",
                    "<p>Todas las personas se sienten estresadas, preocupadas o tristes a veces. "
                    "Si estos sentimientos duran más de dos semanas o afectan su trabajo, "
                    "estudios o familia, hablar con un consejero puede ayudar.</p>"
                    "<h2>Cómo funciona la terapia en línea</h2>"
                    "<p>Usted se reúne por video con un consejero, psicólogo o trabajador social "
                    "con licencia. Las sesiones suelen durar de 45 a 60 minutos.</p>"
                    "<h2>Para que le funcione</h2>"
                    "<ul><li>Busque un lugar privado donde nadie le escuche. Los audífonos ayudan.</li>"
                    "<li>Apague otras notificaciones de su dispositivo.</li></ul>",
                ),
                (
                    "callout",
                    {
                        "severity": "emergency",
                        "heading": "Si piensa en hacerse daño",
                        "text": "<p>Llame o envíe un mensaje de texto al 988 para hablar con la "
                        "Línea de Prevención del Suicidio y Crisis, a cualquier hora. Si está en "
                        "peligro ahora, llame al 911.</p>",
                    },
                ),
            ],
        },
    },
    {
        "key": "eye-health",
        "topic": "eye-care",
        "slug": "keeping-your-eyes-healthy",
        "title": "Keeping your eyes healthy",
        "summary": "Simple habits and regular eye exams protect your sight. Know which "
        "eye problems need care right away.",
        # Past its 12-month review date on purpose: the demo shows the notice readers
        # get and the reminder editors receive.
        "reviewed_days_ago": 400,
        "body": [
            (
                "paragraph",
                "<p>Many eye diseases have no early signs. A dilated eye exam can find "
                "them before you lose sight.</p>"
                "<h2>How often to get an eye exam</h2>"
                "<ul><li>Every year if you have diabetes.</li>"
                "<li>Every 1 to 2 years after age 60, or if glaucoma runs in your family.</li>"
                "<li>Whenever your vision changes.</li></ul>"
                "<h2>Everyday habits</h2>"
                "<ul><li>Wear sunglasses that block UV light.</li>"
                "<li>Wear safety glasses for yard work, sports and tools.</li>"
                "<li>Rest your eyes from screens: every 20 minutes, look at something "
                "20 feet away for 20 seconds.</li>"
                "<li>Do not smoke. Keep your blood sugar and blood pressure in range.</li></ul>"
                "<p>A video visit can help with red, itchy or watery eyes. Your clinician "
                "will tell you if you need to be seen in person.</p>",
            ),
            (
                "callout",
                {
                    "severity": "emergency",
                    "heading": "Get care right away",
                    "text": "<p>Go to the emergency room for sudden loss of vision, a "
                    "curtain over part of your vision, many new floaters or flashes, a "
                    "chemical in the eye, or an eye injury.</p>",
                },
            ),
        ],
        "references": "<ul><li>National Eye Institute. Keep your eyes healthy.</li></ul>",
        "es": {
            "title": "Cómo mantener sanos los ojos",
            "summary": "Hábitos sencillos y exámenes de la vista regulares protegen su visión. "
            "Sepa qué problemas de los ojos necesitan atención de inmediato.",
            "body": [
                (
                    "paragraph",
                    "<p>Muchas enfermedades de los ojos no dan señales al principio. Un examen "
                    "con las pupilas dilatadas puede encontrarlas antes de que pierda la vista.</p>"
                    "<h2>Cada cuánto hacerse un examen de la vista</h2>"
                    "<ul><li>Cada año si tiene diabetes.</li>"
                    "<li>Cada 1 o 2 años después de los 60 años.</li>"
                    "<li>Siempre que cambie su visión.</li></ul>"
                    "<h2>Hábitos diarios</h2>"
                    "<ul><li>Use lentes de sol que bloqueen los rayos UV.</li>"
                    "<li>Descanse la vista de las pantallas: cada 20 minutos, mire algo lejano "
                    "durante 20 segundos.</li></ul>",
                ),
                (
                    "callout",
                    {
                        "severity": "emergency",
                        "heading": "Busque atención de inmediato",
                        "text": "<p>Vaya a la sala de emergencias si pierde la vista de repente, "
                        "ve una cortina sobre parte de la visión, muchos puntos o destellos "
                        "nuevos, o tiene un golpe o un químico en el ojo.</p>",
                    },
                ),
            ],
        },
    },
]

# Places alerts can be aimed at; phones subscribe to them on the Notifications page.
ALERT_AREAS = [
    {"name": "North campus", "name_es": "Campus norte", "slug": "north-campus"},
    {"name": "South campus", "name_es": "Campus sur", "slug": "south-campus"},
]

ALERT = {
    "title": "Flu season: get your flu shot",
    "areas": "All TeleCampus clinics and the county",
    "body": "<p>Flu cases are rising in our area. Everyone 6 months and older should get "
    "a flu shot. If you have fever, cough and body aches, stay home and book a video "
    "visit. Call 911 if you have trouble breathing.</p>",
    "links": [
        {
            "url": "https://www.cdc.gov/flu/prevent/flushot.htm",
            "text": "Who should get a flu shot (CDC)",
        }
    ],
    "title_es": "Temporada de gripe: vacúnese contra la gripe",
    "areas_es": "Todas las clínicas de TeleCampus y el condado",
    "body_es": "<p>Los casos de gripe están aumentando en nuestra zona. Todas las personas "
    "de 6 meses o más deben vacunarse contra la gripe. Si tiene fiebre, tos y dolores en "
    "el cuerpo, quédese en casa y reserve una visita por video. Llame al 911 si le cuesta "
    "respirar.</p>",
}
