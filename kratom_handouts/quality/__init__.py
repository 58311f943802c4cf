"""What a machine can measure of a handout's quality: readability, health-literacy and print rules."""
