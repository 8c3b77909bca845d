/**
 * Project-written prose used to fill a context window to a target token count. Varied, ordinary text
 * (not random tokens, which distort MoE expert routing, and not one sentence repeated, which tokenises
 * unnaturally). `fillPromptTokens` cycles through these paragraphs as often as a large window needs.
 */
export const FILLER_PARAGRAPHS: readonly string[] = [
  "The village sat at the bend of a slow river, and every morning the baker opened his shutters before the " +
    "sun had cleared the hills. Children ran past on their way to school, stopping to look at the loaves " +
    "cooling in the window, and the old ferryman waved from his boat as he carried the first travellers across.",
  "A map is a promise about the world that is only partly kept. Roads move, rivers change their course, and " +
    "the names of towns drift from one language to another. Good map makers write down not only what they " +
    "see but also how sure they are of it, so that the next traveller knows where to be careful.",
  "In the workshop the clockmaker laid out her tools in a row: tweezers, a loupe, a tiny screwdriver and a " +
    "brush as fine as an eyelash. She opened the old watch slowly, counted the teeth on each gear and wrote " +
    "the numbers in a notebook, because a clock that is understood can always be mended.",
  "Rain arrived in the afternoon, first as a few heavy drops on the dust and then as a steady curtain that " +
    "hid the far side of the valley. The farmers hurried the last of the hay into the barn, and the dogs lay " +
    "under the porch listening to the water run along the gutters and down into the yard.",
  "Learning to cook is mostly learning to pay attention. Onions tell you when they are ready by their smell " +
    "and colour, bread by the sound it makes when you tap the crust, and soup by the way it coats the back of " +
    "a spoon. Recipes help, but the cook who watches and tastes will do better than the one who only reads.",
  "The library kept its oldest books in a cool room at the end of a long corridor. Visitors signed their " +
    "names in a ledger, washed their hands and turned the pages with care, reading letters that merchants, " +
    "sailors and schoolteachers had written to one another hundreds of years before.",
  "On clear nights the astronomy club carried their telescopes up to the field behind the school. They " +
    "found the moon first, then the bright planets, and later, when their eyes had grown used to the dark, " +
    "the faint smudges of distant galaxies whose light had left them long before anyone had built a house.",
  "A good bridge is designed for the weight it will carry, the wind that will push against it and the " +
    "water that will rise beneath it. Engineers test their drawings with numbers, then with models, and " +
    "finally with the patient watching of the finished bridge through its first winters.",
];
