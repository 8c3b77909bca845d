/**
 * The text `run --quality` scores when no --quality-text is given: about 3,400 words (about 4,500 tokens with
 * a 32K LLaMA vocabulary) of varied English prose written for gguf-bench (narrative, letters, dialogue,
 * instructions, explanations), so that perplexity and KL divergence see ordinary language of several registers.
 * Written by the project; no third-party text. Changing it changes every quality figure: the results record its sha256.
 */
export const DEFAULT_QUALITY_TEXT = `The Lighthouse Keeper's Year

When Mara took the post at the northern light, the harbour master gave her three things: a ring of iron keys, a logbook with a cracked leather spine, and a warning that the winter would be longer than she expected. She thanked him, carried her two bags up the hundred and twelve steps of the tower, and spent the first evening learning how the lamp was lit. The mechanism was older than the town's church. A brass clockwork turned the great lens once every twenty seconds, and the weights that drove it had to be wound by hand at dusk and again at midnight. If she forgot, the beam would stop turning, and a ship out in the dark might mistake the fixed light for a house on the shore.

The first weeks were quiet. She cleaned the lens each morning with a soft cloth and a little vinegar, trimmed the wick, and checked the level of the oil. In the afternoons she walked along the cliffs and counted the birds that nested in the rocks below: gulls, cormorants, and a single pair of puffins that seemed to have lost their way. She wrote everything down. The logbook held a century of entries in different hands, some neat and some hurried, and she liked to read them in the evenings. One keeper had recorded the weather every hour for eleven years without missing a day. Another had written only the word "fog" for most of a November, and then, on the last day of the month, a long and careful description of a whale.

By December the storms arrived. Wind came off the sea so hard that the windows hummed, and rain moved sideways across the glass. On the worst nights Mara did not sleep at all. She sat beside the lamp with a flask of tea and listened to the tower creak around her, and every hour she climbed down to the small room where the weights hung and wound them again, because the cold made the oil thick and the clockwork slow. Twice she saw the lights of a ship far out, moving carefully along the edge of the reef, and both times she watched until they had passed the point and turned toward the harbour.

In spring a boy from the village began to bring her bread and letters. His name was Tomas, and he wanted to know everything: why the lens had so many rings of glass, how far the light could be seen, whether the tower ever moved in the wind. She showed him how each ring bent the light a little, so that all of it went out in one narrow beam instead of spreading into the sky. She told him that on a clear night a sailor could see the flash from nearly twenty miles away, and that yes, the tower did move, a few fingers' width at the top, and that this was exactly what it was built to do. A tower that could not bend would break.

How a Bread Dough Rises

Bread begins with four ingredients: flour, water, salt and yeast. When flour is mixed with water, two proteins in it join together to form gluten, a network of long elastic strands. Kneading stretches and folds this network until it becomes strong enough to hold gas. The yeast, meanwhile, feeds on sugars released from the starch in the flour. As it feeds, it produces carbon dioxide and a small amount of alcohol. The gas collects in tiny pockets trapped by the gluten, and the dough slowly swells.

Temperature matters more than most recipes admit. Yeast works slowly in a cool kitchen and quickly in a warm one, so the same dough may need three hours to double on a winter morning and barely one on a summer afternoon. Many bakers prefer a slow rise, because it gives enzymes in the flour time to break starches into sugars and gives the bread a deeper flavour. Some leave their dough in a cold cupboard overnight for exactly this reason.

Salt does more than season the loaf. It tightens the gluten network and slows the yeast, which keeps the rise steady instead of frantic. A dough made without salt rises quickly, tastes flat, and often collapses in the oven. When the loaf finally goes into the heat, the gas in every pocket expands, the water turns partly to steam, and the yeast gives one last burst of activity before the temperature kills it. The crust sets, browns, and cracks, and the kitchen fills with a smell that has made people patient for thousands of years.

Letters from a Small Town

Dear Elena,

Thank you for your letter, which arrived on Tuesday with a stamp I had never seen before. I am glad the new job is going well, and I laughed at your description of the office coffee machine. We have no such luxuries here. The library still closes at four on weekdays and at noon on Saturdays, and the bus to the city runs twice a day if the driver is feeling generous.

The big news is that the old mill by the river has finally been sold. For years it stood empty, with broken windows and a roof that let in the rain, and the children dared each other to touch the door after dark. Now a couple from the coast have bought it and say they will turn it into a bakery with rooms upstairs. Everyone has an opinion. Mr. Hale at the hardware shop thinks they will give up within a year. His wife says he said the same thing about the bookshop, which has now been open for nine.

Your mother's garden is doing well, though the rabbits have discovered the lettuce. She has put up a small fence and named the largest rabbit after a politician she dislikes. I will not tell you which one. The apple tree by the gate has more blossom this year than I can remember, and if the late frosts stay away we should have enough fruit to give half of it to the neighbours and still make too much jam.

Write soon and tell me about the city. Do people really walk as fast as they do in films? Do you still get lost on the underground? I have enclosed a pressed flower from the meadow behind the school, the blue kind you used to pick on the way home.

With love,
Anna

On Measuring Things

Every measurement is a comparison. When we say a table is two metres long, we mean that a certain standard length fits along it twice. When we say a room is warm, we compare it, perhaps without thinking, to rooms we have known before. Instruments make these comparisons more careful, but they never remove the need for them. A thermometer compares the expansion of a liquid, or the resistance of a wire, against marks that someone once set by placing it in melting ice and boiling water.

Because every measurement is a comparison, every measurement also carries some uncertainty. The ruler's marks have a width. The thermometer takes time to settle. The person reading the scale may tilt their head. Good practice is not to pretend these errors away but to estimate them and write them down. A length reported as two metres plus or minus one centimetre says more, and is more honest, than a length reported as exactly two metres.

Repeating a measurement helps. If ten people time the same runner with ten stopwatches, their results will scatter around a middle value, and the spread of that scatter tells us how much to trust any single reading. The average of the ten is usually closer to the truth than most of the individual results, though not always. Some errors do not scatter at all. If every stopwatch was started a little late because the starting pistol was hard to see, all ten readings will be wrong in the same direction, and averaging will not help. Finding such shared errors is one of the hardest parts of any experiment, and often the most important.

The Fox and the Well

Late one summer a young fox fell into an old well at the edge of a farm. The water at the bottom was shallow, so she did not drown, but the walls were steep and slippery, and however she jumped she could not reach the top. She called for help until her voice grew hoarse. A crow landed on the rim and looked down at her with interest.

"You seem to be in some difficulty," said the crow.

"I am stuck," said the fox. "If you fetch me a rope, I will bring you the best eggs from the henhouse for a week."

The crow considered this. "Foxes are known for their promises," she said, "and not for keeping them. But I will tell you what I see from up here, and you may do with it what you like. There is a bucket hanging on a chain on the far side of the well. The chain runs over a wheel, and the other end is tied to a post. If you climb into the bucket, your weight will not lift you, but if you pull on the chain, hand over hand, the wheel will do half the work."

The fox found the bucket in the dark, climbed in, and began to pull. It was slow and her paws ached, but little by little she rose toward the circle of sky. When she reached the top she tumbled out onto the grass and lay there breathing hard. The crow was sitting on the post, waiting.

"Well?" said the crow.

The fox was tempted, for a moment, to run. Then she remembered how dark the well had been, and how no one else had stopped to look. Every morning for a week she left two eggs on the flat stone by the well, and the crow, who had expected nothing, told the story to every bird in the valley.

A Walk Through the Market

The market opens before dawn, when the stall holders arrive in vans and carts and begin to unfold their tables under the streetlights. By six the air smells of coffee, oranges and wet cardboard. The fishmonger lays out his ice in long silver beds and arranges the morning's catch in rows by size. Across the lane, a woman who has sold cheese on the same corner for thirty years cuts small pieces for anyone who looks curious, and remembers the names of customers she has not seen in a decade.

Prices change through the day. Early buyers, usually cooks from the restaurants, pay the most and get the best. By noon the crowds are thick with families and tourists, and the stall holders call out offers to anyone who slows down. In the last hour before closing, bargains appear everywhere: three melons for the price of two, a whole tray of tomatoes that will not survive another day, bunches of flowers sold for almost nothing. Some people come only for this hour and plan their week's meals around whatever is left.

When the market closes, the street changes again. Sweepers push the leaves and crates into piles, a truck comes to wash the stones, and the pigeons gather to argue over dropped grains of rice. By evening there is nothing to show that a thousand people passed through that morning, except a faint smell of oranges and a few stubborn petals caught between the cobbles.

Instructions for Planting a Tree

Choose the place with care, because a tree will outlive most of the decisions made around it. Look up as well as down: a tree that will one day be fifteen metres tall should not be planted under a power line or close against a house. Check how much sun the spot receives in summer and in winter, and whether water collects there after heavy rain.

Dig a hole about twice as wide as the root ball but no deeper than it. Roots spread outward far more than downward, and loosened soil around the sides helps them find their way. Set the tree in the hole so that the place where the trunk widens into the roots sits level with the surrounding ground. Planting too deep is one of the most common mistakes, and it slowly suffocates the tree.

Fill the hole with the soil you removed, breaking up large clumps and pressing it down gently to remove pockets of air. Water the tree thoroughly, even if rain is expected, so that the soil settles around the roots. Spread a layer of mulch in a wide circle around the base, but keep it a hand's width away from the trunk itself. For the first two summers, water deeply once a week whenever it does not rain. After that, the tree will mostly look after itself, and you may spend the next fifty years sitting in its shade.

The Mapmaker's Apprentice

The workshop smelled of ink and candle wax. Along one wall stood cabinets with shallow drawers, each holding sheets of paper so large that two people were needed to lift them. Old Master Ivo sat at the high table with a lens strapped to his forehead, drawing the curve of a coastline one small stroke at a time.

Lina had been his apprentice for three months, and so far she had mostly ground pigments and swept the floor. On the morning the first snow fell, he called her over and handed her a pen.

"Draw me the river," he said, pointing to a sketch brought back by a surveyor. It was a rough thing, full of crossings out and notes in the margins: a mill here, a ford there, a bend where the water ran fast.

She drew it carefully, following every line. When she was finished, Ivo looked at it for a long time.

"It is accurate," he said, "and it is wrong." He took the pen and added, beside the ford, a small note in his tidy hand: passable in late summer only. Beside the mill he wrote: ruined, roof fallen. "The surveyor walked this river in August. A traveller will use your map in April. A map that tells only what was seen, and not when, will drown someone one day."

Lina never forgot it. Years later, when her own maps were sold in cities she had never visited, each one carried a small line in the corner giving the season of the survey and the name of the person who had walked it.

Why the Sky Changes Colour

Sunlight looks white, but it is a mixture of every colour in the rainbow. When it passes through the air, it meets countless molecules of nitrogen and oxygen, each far smaller than the wavelength of the light itself. These molecules scatter short wavelengths, the blues and violets, much more strongly than long wavelengths like red and orange. During the day, scattered blue light reaches our eyes from every direction, and the whole sky appears blue.

Our eyes are less sensitive to violet than to blue, and some of the violet is absorbed high in the atmosphere, which is why the sky does not look purple. Near the horizon the sky is often paler, because light from there has travelled through more air and been scattered many times, mixing the colours back toward white.

At sunrise and sunset the light reaches us at a low angle and passes through a much thicker layer of air. By the time it arrives, most of the blue has been scattered away, and what remains is rich in yellow, orange and red. Dust, smoke and tiny droplets of water can deepen these colours further, which is why some of the most beautiful sunsets follow dry windy days or distant fires. On a clear evening, as the sun sinks, the colours move slowly through gold and rose to a deep blue, and the first stars appear in the part of the sky furthest from where the light has gone.

A Conversation at the Station

"Is this the train for the coast?" asked the old man, holding his ticket close to his face.

"The one on platform four," said the young woman beside him. "This one goes north. Yours leaves in twenty minutes, so there is no hurry."

He thanked her and sat down on the bench to wait. After a while he said, "My daughter lives by the sea. I have not visited her since the spring. She says the house is full of sand and that the children have learned to swim like fish."

"That sounds wonderful," said the woman. "I grew up by the sea. In winter the waves came right over the road, and we had to go to school the long way round."

"Did you like it?"

She thought about the question. "I liked the sound. Even now, when I cannot sleep, I imagine the waves. In the city it is always traffic or people talking, and I miss something steady in the background."

The old man nodded slowly. "My wife used to say the same thing about rain on the roof. She said it was the only sound that made the house feel smaller and safer at the same time."

A voice announced the arrival of the northern train. The woman stood, picked up her bag, and smiled at him. "Platform four," she reminded him. "And I hope the children show you how they swim."

"I will let them splash me," he said. "It is the least I can do."

The Rules of a Simple Game

The game is played on a board of five rows and five columns by two players, one with ten white stones and one with ten black. Players take turns placing a single stone on any empty square. When all twenty stones have been placed, the game moves into its second phase, in which each player, on their turn, slides one of their stones to a neighbouring empty square, up, down, left or right but never diagonally.

A stone is captured when it is trapped between two stones of the opposite colour in a straight line along a row or a column. Captured stones are removed from the board at once. A player may move a stone into the gap between two enemy stones without being captured, because capture only happens as the result of the opponent's move. The game ends when one player has fewer than three stones left, or when a player cannot make any move at all. In either case, that player loses.

Beginners usually try to capture as quickly as possible. Experienced players know that the placement phase matters more. A stone placed in a corner can never be captured, but it also threatens very little. Stones in the centre are powerful but exposed. The best players leave themselves room to move, because in the second phase, a player with no empty squares nearby is a player with no choices, and a player with no choices soon loses.

Evening on the Farm

When the work of the day was done, the family gathered on the porch to watch the light leave the fields. The cows walked themselves back toward the barn without being called, the old dog lay across the top step where everyone had to step over him, and the swallows made their last fast circles over the pond. Somebody brought out a bowl of cherries, and the children competed to see who could spit the stones furthest into the yard.

Grandfather told the story of the year the river flooded, as he did almost every summer. The water had come up so fast that the chickens were rescued in a washtub, and one hen refused to leave it for three days afterward. The children knew the story by heart and corrected him whenever he changed the details. He pretended to be offended, and then, as he always did, he finished by saying that the farm had survived worse than water and would survive whatever came next.

As the first stars came out, the talk turned to tomorrow: which field needed cutting, whether the tractor would start, who would drive to town for the feed. Then, one by one, people went inside, until only the dog remained, watching the dark shape of the hill against the sky and listening to the frogs begin their long evening song.
`;
