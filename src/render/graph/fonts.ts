// Fonts for rendered pictures come from an npm package, never from the machine: resvg is told not
// to load system fonts, so a fresh machine draws exactly the same pixels.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** Inter (OFL), regular, semi-bold and bold TrueType files. */
export const FONT_FILES: string[] = [
  "@expo-google-fonts/inter/400Regular/Inter_400Regular.ttf",
  "@expo-google-fonts/inter/600SemiBold/Inter_600SemiBold.ttf",
  "@expo-google-fonts/inter/700Bold/Inter_700Bold.ttf",
].map((f) => require.resolve(f));
